/** A person's own mats; every query is scoped by the owner's id. */
import { asc, count, eq, sql } from "drizzle-orm";
import { ValidationError } from "../../core/errors";
import { MAX_USER_MATS, type UserMat, type UserMatInput } from "../../core/mats/user-mat";
import type { Db } from "../db/client";
import { userMat } from "../db/schema";
import { ownedBy, requireRow } from "./owned";

/** The one mapping from a row to what pages and the export see. */
export function toUserMat(row: typeof userMat.$inferSelect): UserMat & { createdAt: string } {
  return {
    id: row.id,
    name: row.name,
    spikeCount: row.spikeCount,
    lengthMm: row.lengthMm,
    widthMm: row.widthMm,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The query of `listUserMats`, not run (for `selectBatch`; map its rows with `toUserMat`). */
export function userMatsQuery(db: Db, userId: string) {
  return db.select().from(userMat).where(eq(userMat.userId, userId)).orderBy(asc(userMat.createdAt));
}

export async function listUserMats(db: Db, userId: string): Promise<UserMat[]> {
  return (await userMatsQuery(db, userId)).map(toUserMat);
}

/**
 * Adds a mat, refusing the (MAX_USER_MATS + 1)th. The person's user row is locked first, so
 * two adds at once are counted one after the other and the limit cannot be overrun.
 */
export async function createUserMat(db: Db, userId: string, input: UserMatInput): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from "user" where id = ${userId} for update`);
    const [have] = await tx.select({ n: count() }).from(userMat).where(eq(userMat.userId, userId));
    if ((have?.n ?? 0) >= MAX_USER_MATS)
      throw new ValidationError("", { "": [`You can keep up to ${MAX_USER_MATS} mats. Remove one first.`] });
    const [row] = await tx
      .insert(userMat)
      .values({ userId, ...input })
      .returning({ id: userMat.id });
    return requireRow(row ? [row] : [], "The mat was not saved.").id;
  });
}

export async function deleteUserMat(db: Db, userId: string, id: string): Promise<void> {
  requireRow(
    await db
      .delete(userMat)
      .where(ownedBy(userMat, userId, id))
      .returning({ id: userMat.id }),
    "No such mat.",
  );
}
