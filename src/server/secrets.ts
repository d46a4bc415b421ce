/** Server secrets: from the environment, or generated once and shared through the database. */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "./db/client";
import { appSecret } from "./db/schema";

/** Returns the named secret, creating it (atomically, once for all processes) when missing. */
export async function getOrCreateSecret(db: Db, name: string): Promise<string> {
  await db
    .insert(appSecret)
    .values({ name, value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db.select({ value: appSecret.value }).from(appSecret).where(eq(appSecret.name, name));
  if (!row) throw new Error(`secret ${name} could not be created`);
  return row.value;
}
