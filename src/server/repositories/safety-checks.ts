/**
 * Saved safety checks. Every function is scoped by the owner's id: a check that belongs
 * to someone else is reported exactly like one that does not exist.
 * @module
 */
import { desc, eq } from "drizzle-orm";
import type { SafetyAnswers, SafetyCheckRecord } from "../../core/safety/schema";
import type { Db } from "../db/client";
import { safetyCheck } from "../db/schema";
import { ownedBy, requireRow } from "./owned";

export interface SavedSafetyCheck extends SafetyCheckRecord {
  id: string;
  answers: SafetyAnswers;
  professionalAgreedAt: string | null;
}

/** The one mapping from a row to what pages and the export see. */
export function toSaved(row: typeof safetyCheck.$inferSelect): SavedSafetyCheck {
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

const NO_SUCH = "No such safety check.";

export async function saveSafetyCheck(
  db: Db,
  userId: string,
  record: SafetyCheckRecord,
  answers: SafetyAnswers,
): Promise<string> {
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
  return requireRow(row ? [row] : [], "The check was not saved.").id;
}

/** The person's saved checks, newest first. */
export async function listSafetyChecks(db: Db, userId: string): Promise<SavedSafetyCheck[]> {
  const rows = await db
    .select()
    .from(safetyCheck)
    .where(eq(safetyCheck.userId, userId))
    .orderBy(desc(safetyCheck.takenAt));
  return rows.map(toSaved);
}

/** The query of `getLatestSafetyCheck`, not run (for `selectBatch`; map its row with `toSaved`). */
export function latestSafetyCheckQuery(db: Db, userId: string) {
  return db
    .select()
    .from(safetyCheck)
    .where(eq(safetyCheck.userId, userId))
    .orderBy(desc(safetyCheck.takenAt))
    .limit(1);
}

/** The newest saved check, or null. */
export async function getLatestSafetyCheck(db: Db, userId: string): Promise<SavedSafetyCheck | null> {
  const [row] = await latestSafetyCheckQuery(db, userId);
  return row ? toSaved(row) : null;
}

/** One of the person's checks; NotFoundError when it is not theirs or does not exist. */
export async function requireSafetyCheck(db: Db, userId: string, id: string): Promise<SavedSafetyCheck> {
  return toSaved(
    requireRow(
      await db
        .select()
        .from(safetyCheck)
        .where(ownedBy(safetyCheck, userId, id)),
      NO_SUCH,
    ),
  );
}

export async function deleteSafetyCheck(db: Db, userId: string, id: string): Promise<void> {
  requireRow(
    await db
      .delete(safetyCheck)
      .where(ownedBy(safetyCheck, userId, id))
      .returning({ id: safetyCheck.id }),
    NO_SUCH,
  );
}

/** Records that a healthcare professional agreed (the person's own statement), with its date. */
export async function confirmProfessionalAgreement(
  db: Db,
  userId: string,
  id: string,
  now: Date,
): Promise<SavedSafetyCheck> {
  return toSaved(
    requireRow(
      await db
        .update(safetyCheck)
        .set({ professionalAgreedAt: now })
        .where(ownedBy(safetyCheck, userId, id))
        .returning(),
      NO_SUCH,
    ),
  );
}
