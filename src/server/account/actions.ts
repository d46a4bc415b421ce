/**
 * The account page's own settings (the sign-in forms live in src/server/auth/actions.ts).
 * @module
 */
import { parseTimeZone } from "../../core/datetime";
import { ValidationError } from "../../core/errors";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult } from "../forms";
import { forgetPendingReminders } from "../repositories/reminders";
import { setTimeZone } from "../repositories/users";
import { forgetSessionsOf } from "../auth/session-cache";

/** POST /account (intent=time-zone): sets the zone the person's days and times are shown in. */
export function changeTimeZone(db: Db, ctx: FormCtx, userId: string): Promise<FormResult> {
  return formAction(ctx, { keep: ["timeZone"] }, async (raw) => {
    const timeZone = parseTimeZone(field(raw, "timeZone").trim());
    if (!timeZone)
      throw new ValidationError("", {
        timeZone: ["Choose a time zone from the list, such as Europe/London or America/New_York."],
      });
    await setTimeZone(db, userId, timeZone);
    forgetSessionsOf(userId); // a kept session carries the old zone
    await forgetPendingReminders(db, userId); // planned again on the new clock
    return ctx.redirect("/account?changed=time-zone#time-zone", 303);
  });
}
