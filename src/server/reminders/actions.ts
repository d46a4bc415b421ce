/**
 * The reminder settings' POST intents (/account/reminders), the browser's push subscription
 * (JSON from the subscribe button) and the stop link that works without signing in.
 * @module
 */
import { z } from "zod";
import { ConflictError, NotFoundError, ValidationError } from "../../core/errors";
import { parseReminderForm } from "../../core/reminders/reminders";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseJson } from "../http";
import { publicOrigin } from "../origin";
import {
  deleteCalendarFeed,
  deletePushSubscription,
  getCalendarFeedCreated,
  savePushSubscription,
  saveReminderSettings,
  stopReminderChannel,
} from "../repositories/reminders";
import { createFeedToken } from "./feed";
import { pushEndpointProblem } from "./push-endpoint";
import { workingChannels } from "./data";
import { parseEnv } from "../env";
import { readStopToken, type StopTarget } from "./stop-token";

const all = (raw: RawForm, name: string): string[] => {
  const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** The result of a reminder POST: a redirect, the form again, or a new calendar feed address to show once. */
export type ReminderPostResult = FormResult | { feedUrl: string };

/**
 * POST /account/reminders: intent=save (times and channels), remove-device (id),
 * feed-new (a new secret calendar address, shown once) or feed-stop.
 */
export async function postReminders(db: Db, ctx: FormCtx, userId: string): Promise<ReminderPostResult> {
  let feedUrl: string | null = null;
  const result = await formAction(ctx, { keep: ["session-time", "evening-time", "morning-time"] }, async (raw) => {
    const intent = field(raw, "intent");
    if (intent === "save") {
      const settings = parseReminderForm(
        (n) => field(raw, n),
        (n) => all(raw, n),
      );
      // A channel this server cannot deliver is refused, never accepted and confirmed.
      const working = workingChannels(parseEnv());
      const unreachable = Object.fromEntries(
        settings
          .filter((s) => s.channels.some((c) => !working.includes(c)))
          .map((s) => [
            `${s.kind}-channel`,
            [
              "This server cannot send email, so an email reminder would never arrive. Choose a notification or your calendar.",
            ],
          ]),
      );
      if (Object.keys(unreachable).length > 0) throw new ValidationError("", unreachable);
      await saveReminderSettings(db, userId, settings);
      return ctx.redirect("/account/reminders?saved=1", 303);
    }
    if (intent === "remove-device") {
      if (!(await deletePushSubscription(db, userId, field(raw, "id"))))
        throw new NotFoundError("That device is not among yours; nothing was changed.");
      return ctx.redirect("/account/reminders?removed=1#devices", 303);
    }
    if (intent === "feed-new") {
      // Replacing an address that calendars may use is a confirmed step (the disclosure's own button).
      if ((await getCalendarFeedCreated(db, userId)) && field(raw, "replace") !== "yes")
        throw new ValidationError(
          "You already have a calendar address. To replace it, open “Replace or stop the address” and confirm there.",
        );
      feedUrl = `${publicOrigin(ctx.request.headers)}/calendar/${await createFeedToken(db, userId)}.ics`;
      return new Response(null, { status: 204 });
    }
    if (intent === "feed-stop") {
      await deleteCalendarFeed(db, userId);
      return ctx.redirect("/account/reminders?feed=stopped#calendar", 303);
    }
    throw new ValidationError("This form was not understood. Reload the page and try again.");
  });
  return feedUrl ? { feedUrl } : result;
}

/** The 409 when a subscription is another account's; the island renews the subscription on it. */
export const ENDPOINT_TAKEN =
  "This browser's notifications belong to another account. Renew the subscription and send it again.";

const SubscriptionSchema = z.object({
  endpoint: z
    .string()
    .max(2000)
    .url()
    .superRefine((u, ctx) => {
      const problem = pushEndpointProblem(u);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/),
  }),
});

/** POST /account/reminders/push (JSON from the browser): keeps this browser's push subscription. */
export async function subscribePush(db: Db, request: Request, userId: string): Promise<Response> {
  const sub = await parseJson(request, SubscriptionSchema);
  const saved = await savePushSubscription(db, userId, {
    endpoint: sub.endpoint,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
    userAgent: request.headers.get("user-agent")?.slice(0, 500) ?? null,
  });
  // Another account holds this endpoint: it stays theirs (the browser starts a new subscription and tries again).
  if (!saved) throw new ConflictError(ENDPOINT_TAKEN);
  return new Response(null, { status: 204 });
}

/** GET or POST /reminders/stop?t=…: turns off the one reminder and channel the signed token names. Null for a bad token. */
export async function stopByToken(db: Db, token: string): Promise<StopTarget | null> {
  const target = await readStopToken(db, token);
  if (!target) return null;
  await stopReminderChannel(db, target.userId, target.kind, target.channel);
  return target;
}
