/** Opening the configured database for a CLI command, with the errors a person can act on. */
import { openDatabase, type DbHandle } from "../server/db/client";
import { DataDirLockedError } from "../server/db/lock";
import { EnvError, parseEnv, type Env } from "../server/env";
import type { CliIo } from "./command";

/** Env or null (after printing why). */
export function loadEnv(io: CliIo): Env | null {
  try {
    return parseEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      io.stderr(err.message);
      return null;
    }
    throw err;
  }
}

/** Opens the database or prints why it cannot (for example, another process holds it). */
export async function openForCli(env: Env, io: CliIo): Promise<DbHandle | null> {
  try {
    return await openDatabase(env);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      io.stderr(`matwise: ${err.message}`);
      return null;
    }
    io.stderr(`matwise: cannot open the database: ${(err as Error).message}`);
    return null;
  }
}
