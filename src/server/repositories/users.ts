/**
 * The person's own settings on their user row (better-auth owns the rest of it). Scoped by
 * the person's id like every other repository.
 * @module
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { user } from "../db/schema";
import { requireRow } from "./owned";

/** Sets the person's time zone (already checked with parseTimeZone). */
export async function setTimeZone(db: Db, userId: string, timeZone: string): Promise<void> {
  requireRow(
    await db.update(user).set({ timeZone }).where(eq(user.id, userId)).returning({ id: user.id }),
    "No such account.",
  );
}

/** The person's time zone, or null when there is no such account. */
export async function getTimeZone(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select({ timeZone: user.timeZone }).from(user).where(eq(user.id, userId));
  return row?.timeZone ?? null;
}

/** Where and when to reach the person (their email and time zone), or undefined when there is no such account. */
export async function getContact(db: Db, userId: string): Promise<{ email: string; timeZone: string } | undefined> {
  const [row] = await db.select({ email: user.email, timeZone: user.timeZone }).from(user).where(eq(user.id, userId));
  return row;
}
