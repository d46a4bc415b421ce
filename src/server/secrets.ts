/** Server secrets: from the environment, or generated once and shared through the database. */
import { randomBytes } from "node:crypto";
import type { Db } from "./db/client";
import { getOrCreateSecretValue } from "./repositories/secrets";

/** Returns the named secret, creating it (atomically, once for all processes) when missing. */
export async function getOrCreateSecret(db: Db, name: string): Promise<string> {
  return getOrCreateSecretValue(db, name, () => randomBytes(32).toString("base64url"));
}
