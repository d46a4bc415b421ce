/**
 * A person's clock for experiments: their time zone (local dates come from getLocalDate in core).
 * Day boundaries ("today", "day 5") are the person's local midnight.
 * @module
 */
import { DEFAULT_CLOCK, type Clock } from "../../core/datetime";
import { getDb } from "../db/client";
import { getTimeZone } from "../repositories/users";

/** The person's clock: the account's time zone (UTC when it is not known). */
export async function getPersonClock(userId: string): Promise<Clock> {
  return {
    locale: DEFAULT_CLOCK.locale,
    timeZone: (await getTimeZone(await getDb(), userId)) ?? DEFAULT_CLOCK.timeZone,
  };
}
