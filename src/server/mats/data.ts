/** What the own-mats page needs for GET: the person's mats and a comparison link for them. */
import { ownMatId, toCatalogueMat, type UserMat } from "../../core/mats/user-mat";
import type { Db } from "../db/client";
import { listUserMats } from "../repositories/user-mats";

/** GET /mats/mine: the mats, oldest first, and a link comparing up to three of them with the Shakti original. */
export async function loadOwnMats(db: Db, userId: string): Promise<{ mats: UserMat[]; compareHref: string | null }> {
  const mats = await listUserMats(db, userId);
  const compareHref =
    mats.length > 0
      ? `/mats?${new URLSearchParams([["mat", "shakti-original"], ...mats.slice(0, 3).map((m) => ["mat", ownMatId(m.id)])]).toString()}`
      : null;
  return { mats, compareHref };
}

/** GET /mats: a signed-in person's mats as catalogue entries, to compare beside the others. */
export async function loadOwnCatalogueMats(db: Db, userId: string | null) {
  if (!userId) return [];
  return (await listUserMats(db, userId)).map((m) => ({ id: ownMatId(m.id), data: toCatalogueMat(m) }));
}
