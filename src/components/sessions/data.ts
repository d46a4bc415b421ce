/**
 * Server-side data the session pages share: the catalogue's mats for the "which mat" choice,
 * and the timer's gate from a signed-in person's latest saved safety check.
 */
import { getCollection } from "astro:content";
import { getTimerGate, type TimerGate } from "../../core/timer/gate";
import { ownMatId, parseOwnMatId } from "../../core/mats/user-mat";
import type { Db } from "../../server/db/client";
import { listUserMats } from "../../server/repositories/user-mats";
import { getLatestSafetyCheck, type SavedSafetyCheck } from "../../server/repositories/safety-checks";

export interface MatOption {
  id: string;
  name: string;
}

/** The person's own mats first (when signed in), then the catalogue's mats, by name. */
export async function getMatOptions(db?: Db, userId?: string): Promise<MatOption[]> {
  const mats = await getCollection("mats");
  const catalogue = mats.map((m) => ({ id: m.id, name: m.data.name })).sort((a, b) => a.name.localeCompare(b.name));
  const own = db && userId ? (await listUserMats(db, userId)).map((m) => ({ id: ownMatId(m.id), name: `${m.name} (your mat)` })) : [];
  return [...own, ...catalogue];
}

/** A session's mat in words: its name, or a note when the person has since removed their mat. */
export function describeMat(matId: string | null, names: ReadonlyMap<string, string>): string | null {
  if (!matId) return null;
  return names.get(matId) ?? (parseOwnMatId(matId) ? "a mat you have since removed" : matId);
}

/** The latest saved check of a signed-in person and the gate it gives the timer. */
export async function getSavedGate(db: Db, userId: string, now: Date): Promise<{ check: SavedSafetyCheck | null; gate: TimerGate }> {
  const check = await getLatestSafetyCheck(db, userId);
  return { check, gate: getTimerGate(check, now) };
}
