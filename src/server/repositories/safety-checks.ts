/**
 * Saved safety checks. Every function is scoped by the owner's id: a check that belongs
 * to someone else is reported exactly like one that does not exist.
 * @module
 */
import { and, desc, eq } from "drizzle-orm";
import { NotFoundError } from "../../core/errors";
import type { SafetyAnswers, SafetyCheckRecord } from "../../core/safety/schema";
import type { Db } from "../db/client";
import { safetyCheck } from "../db/schema";

export interface SavedSafetyCheck extends SafetyCheckRecord {
  id: string;
  answers: SafetyAnswers;
  professionalAgreedAt: string | null;
}

type Row = typeof safetyCheck.$inferSelect;

function toSaved(row: Row): SavedSafetyCheck {
  return {
    id: row.id,
    date: row.takenAt.toISOString(),
    rulesVersion: row.rulesVersion,
    level: row.level as SafetyCheckRecord["level"],
    findingIds: row.findingIds,
    areasOffMat: row.areasOffMat as SafetyCheckRecord["areasOffMat"],
    professionalAgreed: row.professionalAgreedAt !== null,
    professionalAgreedAt: row.professionalAgreedAt?.toISOString() ?? null,
    answers: row.answers as SafetyAnswers,
  };
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export async function saveSafetyCheck(db: Db, userId: string, record: SafetyCheckRecord, answers: SafetyAnswers): Promise<string> {
  const [row] = await db
    .insert(safetyCheck)
    .values({
      userId,
      takenAt: new Date(record.date),
      rulesVersion: record.rulesVersion,
      level: record.level,
      findingIds: record.findingIds,
      areasOffMat: record.areasOffMat,
      answers: answers as Record<string, unknown>,
    })
    .returning({ id: safetyCheck.id });
  if (!row) throw new Error("insert returned no row");
  return row.id;
}

/** The person's saved checks, newest first. */
export async function listSafetyChecks(db: Db, userId: string): Promise<SavedSafetyCheck[]> {
  const rows = await db.select().from(safetyCheck).where(eq(safetyCheck.userId, userId)).orderBy(desc(safetyCheck.takenAt));
  return rows.map(toSaved);
}

/** The newest saved check, or null. */
export async function getLatestSafetyCheck(db: Db, userId: string): Promise<SavedSafetyCheck | null> {
  const [row] = await db.select().from(safetyCheck).where(eq(safetyCheck.userId, userId)).orderBy(desc(safetyCheck.takenAt)).limit(1);
  return row ? toSaved(row) : null;
}

/** One of the person's checks; NotFoundError when it is not theirs or does not exist. */
export async function requireSafetyCheck(db: Db, userId: string, id: string): Promise<SavedSafetyCheck> {
  if (!isUuid(id)) throw new NotFoundError("No such safety check.");
  const [row] = await db.select().from(safetyCheck).where(and(eq(safetyCheck.id, id), eq(safetyCheck.userId, userId)));
  if (!row) throw new NotFoundError("No such safety check.");
  return toSaved(row);
}

export async function deleteSafetyCheck(db: Db, userId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError("No such safety check.");
  const gone = await db.delete(safetyCheck).where(and(eq(safetyCheck.id, id), eq(safetyCheck.userId, userId))).returning({ id: safetyCheck.id });
  if (gone.length === 0) throw new NotFoundError("No such safety check.");
}

/** Records that a healthcare professional agreed (the person's own statement), with its date. */
export async function confirmProfessionalAgreement(db: Db, userId: string, id: string, now: Date): Promise<SavedSafetyCheck> {
  if (!isUuid(id)) throw new NotFoundError("No such safety check.");
  const [row] = await db
    .update(safetyCheck)
    .set({ professionalAgreedAt: now })
    .where(and(eq(safetyCheck.id, id), eq(safetyCheck.userId, userId)))
    .returning();
  if (!row) throw new NotFoundError("No such safety check.");
  return toSaved(row);
}
