/**
 * The check-in form of an experiment day: the evening answers (what was done, the day's ratings,
 * a note of any harm) or the morning's sleep answers (about last night). Every field is checked,
 * so the form comes back with a message at each one that needs it; the experiment's own outcome
 * must be given on the check-in that asks it. Failures are data, never exceptions.
 * @module
 */
import { z } from "zod";
import { acceptsCheckIn } from "./days";
import { ADHERENCE, OUTCOME_TEXT, type Adherence } from "./labels";
import type { Outcome } from "./protocol";

/** The form's fields, as the page posts them (and keeps them to show a refused form again). */
export const CHECK_IN_FIELDS = [
  "kind",
  "date",
  "pain",
  "tension",
  "stress",
  "sleepQuality",
  "sleepLatency",
  "wakings",
  "harms",
  "adherence",
] as const;

/** What a check-in records; a value left empty is null, and a field of the other check-in is absent. */
export interface CheckInValues {
  adherence?: Adherence;
  pain?: number | null;
  tension?: number | null;
  stress?: number | null;
  sleepQuality?: number | null;
  sleepLatency?: number | null;
  wakings?: number | null;
  harms?: string | null;
}

/** The day and the answers, or a message per field. */
export type CheckInRead =
  { ok: true; date: string; morning: boolean; values: CheckInValues } | { ok: false; errors: Record<string, string[]> };

export const TOO_LATE_TO_CHECK_IN =
  "That day can no longer be recorded: a check-in is accepted on its day and the day after. A missed day stays missing, which the analysis allows for.";

/** A whole number from 0 to `max`, in figures; empty is null (not given). */
const scale = (label: string, max: number) =>
  z
    .string()
    .refine(
      (s) => s.trim() === "" || (/^\d{1,3}$/.test(s.trim()) && Number(s) <= max),
      `${label} must be a whole number from 0 to ${max}, in figures (for example ${Math.min(max, 20)}).`,
    )
    .transform((s) => (s.trim() === "" ? null : Number(s)));

/** The evening check-in: what was done and the day's ratings. */
const EveningSchema = z.object({
  adherence: z.enum(ADHERENCE, { errorMap: () => ({ message: "Say whether you did today's assignment." }) }),
  pain: scale(OUTCOME_TEXT.pain.label, 10),
  tension: scale(OUTCOME_TEXT.tension.label, 10),
  stress: scale(OUTCOME_TEXT.stress.label, 10),
  harms: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length <= 500, "Keep the note under 500 characters.")
    .transform((s) => s || null),
});

/** The morning check-in: last night's sleep. */
const MorningSchema = z.object({
  sleepLatency: scale("Minutes to fall asleep", 600),
  wakings: scale("Times woken", 50),
  sleepQuality: scale("Sleep quality", 10),
});

/**
 * Reads a check-in form (`form`: each field's text, "" when absent) for an experiment whose main
 * outcome is `primary`, on the person's local date `today`: a day is accepted on the day and the
 * day after (then marked late); a missed day stays missing.
 */
export function readCheckIn(
  form: Readonly<Record<(typeof CHECK_IN_FIELDS)[number], string>>,
  o: { primary: Outcome; today: string },
): CheckInRead {
  const { date } = form;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !acceptsCheckIn(date, o.today))
    return { ok: false, errors: { "": [TOO_LATE_TO_CHECK_IN] } };
  const morning = form.kind === "morning";
  const parsed = (morning ? MorningSchema : EveningSchema).safeParse(form);
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const name = String(issue.path[0] ?? "");
    errors[name] ??= [issue.message];
  }
  // The experiment's own outcome is asked on one of the two check-ins, and there it must be given.
  const isSleep = o.primary === "sleepQuality" || o.primary === "sleepLatency";
  if (isSleep === morning && !errors[o.primary] && form[o.primary].trim() === "")
    errors[o.primary] = [`Give ${OUTCOME_TEXT[o.primary].label.toLowerCase()}: it is what this experiment is about.`];
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, date, morning, values: parsed.data };
}
