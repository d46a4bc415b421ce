/**
 * Break-in plans saved to an account, one per person. Every function takes the owner's id and
 * puts it in the WHERE clause: no one reads or replaces another person's plan.
 * @module
 */
import { eq } from "drizzle-orm";
import type { BodyArea, SafetyLevel } from "../../core/safety/schema";
import type { SessionArea } from "../../core/sessions/options";
import type { PlanInput, Sensitivity } from "../../core/plan/plan";
import type { Db } from "../db/client";
import { breakInPlan } from "../db/schema";
import { requireRow } from "./owned";

/** A saved plan as pages and the export see it. */
export interface SavedPlan {
  id: string;
  input: PlanInput;
  lengthDays: number;
  gentleness: number;
  createdAt: string;
  updatedAt: string;
}

/** The one mapping from a row to a saved plan. */
export function toSavedPlan(row: typeof breakInPlan.$inferSelect): SavedPlan {
  return {
    id: row.id,
    input: {
      skin: row.skin as Sensitivity,
      tolerance: row.tolerance as Sensitivity,
      area: row.bodyArea as SessionArea,
      level: row.level as SafetyLevel,
      areasOff: row.areasOff as BodyArea[],
      professionalAgreed: row.professionalAgreed,
      start: row.startDate,
    },
    lengthDays: row.lengthDays,
    gentleness: row.gentleness,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The plan as the export lists it: one flat record (the CSV has a column per field). */
export function toPlanRecord(row: typeof breakInPlan.$inferSelect) {
  const p = toSavedPlan(row);
  return {
    id: p.id,
    start: p.input.start,
    lengthDays: p.lengthDays,
    gentleness: p.gentleness,
    skin: p.input.skin,
    tolerance: p.input.tolerance,
    area: p.input.area,
    level: p.input.level,
    areasOff: p.input.areasOff.join(" "),
    professionalAgreed: p.input.professionalAgreed,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** Saves the person's plan, replacing the one they had. Returns its id. */
export async function savePlan(
  db: Db,
  userId: string,
  input: PlanInput,
  made: { lengthDays: number; gentleness: number },
): Promise<string> {
  const values = {
    skin: input.skin,
    tolerance: input.tolerance,
    bodyArea: input.area,
    level: input.level,
    areasOff: [...input.areasOff],
    professionalAgreed: input.professionalAgreed,
    startDate: input.start,
    lengthDays: made.lengthDays,
    gentleness: made.gentleness,
  };
  const rows = await db
    .insert(breakInPlan)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: breakInPlan.userId, set: { ...values, updatedAt: new Date() } })
    .returning({ id: breakInPlan.id });
  return requireRow(rows, "The plan was not saved.").id;
}

/** The query of `getPlan`, not run (for `selectBatch`; map its row with `toSavedPlan`). */
export function planQuery(db: Db, userId: string) {
  return db.select().from(breakInPlan).where(eq(breakInPlan.userId, userId));
}

/** The person's plan, or null. */
export async function getPlan(db: Db, userId: string): Promise<SavedPlan | null> {
  const [row] = await planQuery(db, userId);
  return row ? toSavedPlan(row) : null;
}

/** Removes the person's plan; false when they had none. */
export async function deletePlan(db: Db, userId: string): Promise<boolean> {
  return (
    (await db.delete(breakInPlan).where(eq(breakInPlan.userId, userId)).returning({ id: breakInPlan.id })).length > 0
  );
}
