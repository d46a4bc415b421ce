/**
 * Server-side data the session pages share: the catalogue's mats for the "which mat" choice,
 * and the timer's gate from a signed-in person's latest saved safety check.
 */
import { getCollection } from "astro:content";
import { getTimerGate, type TimerGate } from "../../core/timer/gate";
import type { Db } from "../../server/db/client";
import { getLatestSafetyCheck, type SavedSafetyCheck } from "../../server/repositories/safety-checks";

export interface MatOption {
  id: string;
  name: string;
}

/** The catalogue's mats, by name. */
export async function getMatOptions(): Promise<MatOption[]> {
  const mats = await getCollection("mats");
  return mats.map((m) => ({ id: m.id, name: m.data.name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The latest saved check of a signed-in person and the gate it gives the timer. */
export async function getSavedGate(db: Db, userId: string, now: Date): Promise<{ check: SavedSafetyCheck | null; gate: TimerGate }> {
  const check = await getLatestSafetyCheck(db, userId);
  return { check, gate: getTimerGate(check, now) };
}
