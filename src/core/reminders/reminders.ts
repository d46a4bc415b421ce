/**
 * Reminders as data: which ones a person can ask for, at what local time and through which
 * channels, and what each message says on a given day. Pure: the server passes in the day's
 * plan and experiments and sends what comes back.
 * @module
 */
import { ValidationError } from "../errors";

/** Today's mat session, the evening check-in of an experiment, and its morning sleep check-in. */
export const REMINDER_KINDS = ["session", "evening", "morning"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Where a reminder goes: a push notification, an email, or an event with an alarm in the person's calendar feed. */
export const REMINDER_CHANNELS = ["push", "email", "calendar"] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

/** The time a reminder is offered at before the person chooses one (local wall time, HH:MM). */
export const DEFAULT_REMINDER_TIMES: Readonly<Record<ReminderKind, string>> = {
  session: "19:00",
  evening: "21:00",
  morning: "08:00",
};

/** One reminder as chosen: its local time and channels. No channel means off. */
export interface ReminderSetting {
  kind: ReminderKind;
  /** Local wall time, HH:MM, on the person's clock. */
  time: string;
  channels: ReminderChannel[];
}

/** Whether `text` is a wall time HH:MM (00:00–23:59). */
export const isWallTime = (text: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(text);

/** Every kind with what the person chose, or the default time and no channel (off). */
export function withDefaults(saved: readonly ReminderSetting[]): ReminderSetting[] {
  return REMINDER_KINDS.map(
    (kind) => saved.find((s) => s.kind === kind) ?? { kind, time: DEFAULT_REMINDER_TIMES[kind], channels: [] },
  );
}

/**
 * The settings form (`<kind>-time`, `<kind>-channel` repeated) read into one setting per kind.
 * A wrong time is a ValidationError on that field; unknown channels are refused the same way.
 */
export function parseReminderForm(
  get: (name: string) => string,
  getAll: (name: string) => string[],
): ReminderSetting[] {
  const errors: Record<string, string[]> = {};
  const out = REMINDER_KINDS.map((kind) => {
    const time = get(`${kind}-time`).trim();
    if (!isWallTime(time)) errors[`${kind}-time`] = ["Give a time of day such as 07:30 or 21:00."];
    const picked = getAll(`${kind}-channel`);
    const channels = REMINDER_CHANNELS.filter((c) => picked.includes(c));
    if (picked.some((c) => !(REMINDER_CHANNELS as readonly string[]).includes(c)))
      errors[`${kind}-channel`] = ["Choose from push, email and calendar."];
    return { kind, time, channels };
  });
  if (Object.keys(errors).length) throw new ValidationError("", errors);
  return out;
}

/** What the person has on the day a reminder is for, as the server found it. */
export interface ReminderDay {
  /** Today's plan day: a session ("10 minutes, lying on your back…"), a rest day, or no plan running. */
  plan: { kind: "session"; what: string } | { kind: "rest" } | null;
  /**
   * Running experiments: title, "Experiment, day 3 of 42" (null when today has no session), whether the evening check-in is still
   * open and whether they ask about sleep. Never today's condition: a lock screen shows what a reminder says.
   */
  experiments: { title: string; when: string | null; eveningOpen: boolean; asksSleep: boolean }[];
}

/** A reminder as sent: a title, a line of text and where a tap leads (a path on the site). */
export interface ReminderMessage {
  title: string;
  body: string;
  path: string;
}

/**
 * What a reminder says on a day, or null when there is nothing to remind of (a rest day, no
 * experiment asking for a check-in): a reminder that asks nothing is not sent.
 */
export function createReminderMessage(kind: ReminderKind, day: ReminderDay): ReminderMessage | null {
  if (kind === "session") {
    const experiment = day.experiments.find((e) => e.when !== null);
    if (experiment)
      return {
        title: "Time for today's mat session",
        body: `${experiment.when ?? ""}: ${experiment.title}. Open matwise for today's assignment.`,
        path: "/today",
      };
    if (day.plan?.kind === "rest") return null;
    return {
      title: "Time for today's mat session",
      body: day.plan ? day.plan.what : "Your mat and the timer are ready when you are.",
      path: "/today",
    };
  }
  if (kind === "evening") {
    const open = day.experiments.filter((e) => e.eveningOpen);
    return open.length
      ? {
          title: "Your evening check-in",
          body: `How was today? ${open.map((e) => e.title).join("; ")}.`,
          path: "/today",
        }
      : null;
  }
  const sleep = day.experiments.filter((e) => e.asksSleep);
  return sleep.length
    ? {
        title: "Your morning sleep check-in",
        body: `How did you sleep last night? ${sleep.map((e) => e.title).join("; ")}.`,
        path: "/today",
      }
    : null;
}

/**
 * The reminders an experiment asks for, from its own check-ins: every experiment has the evening
 * one; only an experiment about sleep (its main outcome) has the morning sleep reminder. A pain
 * experiment's calendar gets no "how did you sleep?" alarms.
 */
export function experimentReminderKinds(protocol: { primaryOutcome: string }): ("evening" | "morning")[] {
  return protocol.primaryOutcome === "sleepQuality" || protocol.primaryOutcome === "sleepLatency"
    ? ["evening", "morning"]
    : ["evening"];
}
