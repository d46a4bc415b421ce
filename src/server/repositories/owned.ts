/**
 * Owner scoping, written once. Every repository of personal data finds a row by its id AND
 * its owner's id, so someone else's id reads exactly like a missing one.
 * @module
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { NotFoundError } from "../../core/errors";

/** Whether `id` is a UUID (ids in URLs are checked before they reach a uuid column). */
export const isUuid = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** The row `id` of `userId`, or no row at all: a malformed id matches nothing. */
export const ownedBy = (t: { id: PgColumn; userId: PgColumn }, userId: string, id: string): SQL =>
  isUuid(id) ? (and(eq(t.id, id), eq(t.userId, userId)) as SQL) : sql`false`;

/** The one row a scoped query returned, or NotFoundError with `message`. */
export function requireRow<T>(rows: readonly T[], message: string): T {
  const row = rows[0];
  if (row === undefined) throw new NotFoundError(message);
  return row;
}
