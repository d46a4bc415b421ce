/**
 * Mat sessions. Every function is scoped by the owner's id: a session that belongs to
 * someone else is reported exactly like one that does not exist (NotFoundError).
 * @module
 */
import { and, desc, eq } from "drizzle-orm";
import type { Layer, Position, SessionArea } from "../../core/sessions/options";
import type { MatSessionRecord, SessionInput } from "../../core/sessions/schema";
import type { Db } from "../db/client";
import { matSession } from "../db/schema";
import { ownedBy, requireRow } from "./owned";

/** The one mapping from a row to what pages, charts and the export see. */
export function toRecord(row: typeof matSession.$inferSelect): MatSessionRecord {
  return {
    id: row.id,
    startedAt: row.startedAt.toISOString(),
    durationSeconds: row.durationSeconds,
    position: row.position as Position,
    area: row.bodyArea as SessionArea,
    layer: row.layer as Layer,
    matId: row.matId,
    note: row.note,
    discomfort: row.discomfort,
    painBefore: row.painBefore,
    painAfter: row.painAfter,
    tensionBefore: row.tensionBefore,
    tensionAfter: row.tensionAfter,
    stressBefore: row.stressBefore,
    stressAfter: row.stressAfter,
    relaxationBefore: row.relaxationBefore,
    relaxationAfter: row.relaxationAfter,
    createdAt: row.createdAt.toISOString(),
  };
}

function toColumns(input: SessionInput) {
  return {
    startedAt: new Date(input.startedAt),
    durationSeconds: input.durationSeconds,
    position: input.position,
    bodyArea: input.area,
    layer: input.layer,
    matId: input.matId,
    note: input.note,
    discomfort: input.discomfort,
    painBefore: input.painBefore,
    painAfter: input.painAfter,
    tensionBefore: input.tensionBefore,
    tensionAfter: input.tensionAfter,
    stressBefore: input.stressBefore,
    stressAfter: input.stressAfter,
    relaxationBefore: input.relaxationBefore,
    relaxationAfter: input.relaxationAfter,
  };
}

const NO_SUCH = "No such session.";

/** A client key as stored: the browser's own id for a record, or null (see matSession.clientKey). */
const keyOrNull = (key: string | null | undefined): string | null => (key && /^[a-z0-9-]{1,40}$/.test(key) ? key : null);

/**
 * Saves a validated session for its owner; returns its id. With a `clientKey` (the browser's id
 * for the record) a repeat is not stored again: the session already saved under that key, for
 * this owner, is the answer.
 */
export async function createMatSession(db: Db, userId: string, input: SessionInput, clientKey: string | null = null): Promise<string> {
  const key = keyOrNull(clientKey);
  const rows = await db
    .insert(matSession)
    .values({ userId, ...toColumns(input), clientKey: key })
    .onConflictDoNothing({ target: [matSession.userId, matSession.clientKey] })
    .returning({ id: matSession.id });
  if (rows[0] || !key) return requireRow(rows, "The session was not saved.").id;
  const [saved] = await db.select({ id: matSession.id }).from(matSession).where(and(eq(matSession.userId, userId), eq(matSession.clientKey, key)));
  return requireRow(saved ? [saved] : [], "The session was not saved.").id;
}

/**
 * Saves several validated sessions for their owner at once (all or none); a session whose client
 * key is already saved for this owner is left out. Returns the ids of the sessions stored now.
 */
export async function createMatSessions(db: Db, userId: string, inputs: readonly (SessionInput & { clientKey?: string | null })[]): Promise<string[]> {
  if (inputs.length === 0) return [];
  const rows = await db
    .insert(matSession)
    .values(inputs.map(({ clientKey, ...input }) => ({ userId, ...toColumns(input), clientKey: keyOrNull(clientKey) })))
    .onConflictDoNothing({ target: [matSession.userId, matSession.clientKey] })
    .returning({ id: matSession.id });
  return rows.map((r) => r.id);
}

/** The person's sessions, newest first. */
export async function listMatSessions(db: Db, userId: string): Promise<MatSessionRecord[]> {
  const rows = await db.select().from(matSession).where(eq(matSession.userId, userId)).orderBy(desc(matSession.startedAt), desc(matSession.createdAt));
  return rows.map(toRecord);
}

/** One of the person's sessions; NotFoundError when it is not theirs or does not exist. */
export async function requireMatSession(db: Db, userId: string, id: string): Promise<MatSessionRecord> {
  return toRecord(requireRow(await db.select().from(matSession).where(ownedBy(matSession, userId, id)), NO_SUCH));
}

/** Replaces a session's details; NotFoundError (and nothing changed) when it is not the person's. */
export async function updateMatSession(db: Db, userId: string, id: string, input: SessionInput): Promise<MatSessionRecord> {
  return toRecord(requireRow(await db.update(matSession).set(toColumns(input)).where(ownedBy(matSession, userId, id)).returning(), NO_SUCH));
}

/** Deletes a session; NotFoundError (and nothing deleted) when it is not the person's. */
export async function deleteMatSession(db: Db, userId: string, id: string): Promise<void> {
  requireRow(await db.delete(matSession).where(ownedBy(matSession, userId, id)).returning({ id: matSession.id }), NO_SUCH);
}
