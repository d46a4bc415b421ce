/** Display words for reminders: what each kind and channel is called on the settings page. */
import type { ReminderChannel, ReminderKind } from "./reminders";

export const REMINDER_TEXT: Readonly<Record<ReminderKind, { label: string; hint: string }>> = {
  session: { label: "Today's mat session", hint: "On a plan's rest day nothing is sent." },
  evening: {
    label: "Evening check-in",
    hint: "Only while an experiment is running and today's check-in is still open.",
  },
  morning: { label: "Morning sleep check-in", hint: "Only while an experiment measures your sleep." },
};

export const CHANNEL_TEXT: Readonly<Record<ReminderChannel, string>> = {
  push: "Notification on my devices",
  email: "Email",
  calendar: "Alarm in my calendar feed",
};
