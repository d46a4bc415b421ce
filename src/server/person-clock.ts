/** The clock a person's days are counted on, read from their account (for actions that have only their id). */
import type { Clock } from "../core/datetime";
import { clockOf } from "./auth/session";
import type { Db } from "./db/client";
import { getTimeZone } from "./repositories/users";

/**
 * The person's time zone (the default when the account is gone or its zone is not one we know) with the
 * site's locale: the stored zone is read the way a session reads it (`clockOf`).
 */
export async function loadPersonClock(db: Db, userId: string): Promise<Clock> {
  return clockOf(null, await getTimeZone(db, userId));
}
