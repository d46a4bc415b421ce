/** The server's own secrets (`app_secret`): made once, shared by every process through the database. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { appSecret } from "../db/schema";

/**
 * Returns the named secret; when it is missing, stores `make()` (atomically: the first process to
 * insert wins, the others read its value). `make` runs only when the secret is missing.
 */
export async function getOrCreateSecretValue(db: Db, name: string, make: () => string): Promise<string> {
  const read = async () =>
    (await db.select({ value: appSecret.value }).from(appSecret).where(eq(appSecret.name, name)))[0];
  let row = await read();
  if (!row) {
    await db.insert(appSecret).values({ name, value: make() }).onConflictDoNothing();
    row = await read();
  }
  if (!row) throw new Error(`secret ${name} could not be created`);
  return row.value;
}
