/** The browsers where a person is signed in (better-auth's session rows), read-only. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { session } from "../db/schema";

export interface Device {
  id: string;
  createdAt: string;
  /** When the browser last refreshed its sign-in (at most a day behind). */
  lastUsedAt: string;
  expiresAt: string;
  ipAddress: string | null;
  userAgent: string | null;
}

/** The one mapping from a session row to what pages and the export see (never the token). */
export function toDevice(d: typeof session.$inferSelect): Device {
  return {
    id: d.id,
    createdAt: d.createdAt.toISOString(),
    lastUsedAt: (d.updatedAt ?? d.createdAt).toISOString(),
    expiresAt: d.expiresAt.toISOString(),
    ipAddress: d.ipAddress,
    userAgent: d.userAgent,
  };
}

/** The person's signed-in browsers, newest first. */
export async function listDevices(db: Db, userId: string): Promise<Device[]> {
  return (await db.select().from(session).where(eq(session.userId, userId)).orderBy(desc(session.createdAt))).map(
    toDevice,
  );
}
