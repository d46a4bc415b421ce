/** The clock a person's days are counted on, read from their account (for actions that have only their id). */
import { DEFAULT_CLOCK, type Clock } from "../core/datetime";
import type { Db } from "./db/client";
import { getTimeZone } from "./repositories/users";

/** The person's time zone (the default when the account is gone) with the site's locale. */
export async function loadPersonClock(db: Db, userId: string): Promise<Clock> {
  return { locale: DEFAULT_CLOCK.locale, timeZone: (await getTimeZone(db, userId)) ?? DEFAULT_CLOCK.timeZone };
}
