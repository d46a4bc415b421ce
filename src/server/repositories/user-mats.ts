/** A person's own mats; every query is scoped by the owner's id. */
import { and, asc, eq } from "drizzle-orm";
import { NotFoundError } from "../../core/errors";
import type { UserMat, UserMatInput } from "../../core/mats/user-mat";
import type { Db } from "../db/client";
import { userMat } from "../db/schema";

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

function toUserMat(row: typeof userMat.$inferSelect): UserMat {
  return { id: row.id, name: row.name, spikeCount: row.spikeCount, lengthMm: row.lengthMm, widthMm: row.widthMm, note: row.note };
}

/** At most this many own mats per person. */
export const MAX_USER_MATS = 20;

export async function listUserMats(db: Db, userId: string): Promise<UserMat[]> {
  const rows = await db.select().from(userMat).where(eq(userMat.userId, userId)).orderBy(asc(userMat.createdAt));
  return rows.map(toUserMat);
}

export async function createUserMat(db: Db, userId: string, input: UserMatInput): Promise<string> {
  const [row] = await db.insert(userMat).values({ userId, ...input }).returning({ id: userMat.id });
  if (!row) throw new Error("insert returned no row");
  return row.id;
}

export async function deleteUserMat(db: Db, userId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw new NotFoundError("No such mat.");
  const gone = await db.delete(userMat).where(and(eq(userMat.id, id), eq(userMat.userId, userId))).returning({ id: userMat.id });
  if (gone.length === 0) throw new NotFoundError("No such mat.");
}
