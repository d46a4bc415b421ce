/**
 * The contract of a logged mat session: what a form must send, and what the database keeps.
 * Discomfort on the mat is required; every other rating may be skipped. A rating given is a
 * whole number from 0 to 10; anything else is refused with a message naming the field, and
 * nothing is stored. Times typed into the form are read on the person's own clock.
 * @module
 */
import { z } from "zod";
import { freeText } from "../text";
import { getLocalWallTime, wallTimeToUtc } from "../datetime";
import {
  LAYERS,
  MAX_SESSION_MINUTES,
  OPTIONAL_RATINGS,
  POSITIONS,
  RATINGS,
  REQUIRED_RATING,
  SESSION_AREAS,
  type RatingName,
} from "./options";
import { RATING_TEXT } from "./labels";

/** Longest session the log accepts, in minutes: a typo guard, well above what the plan suggests. */
export const MAX_LOGGED_MINUTES = 180;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const isRating = (s: string) => /^\d{1,2}$/.test(s) && Number(s) <= 10;

/** The one required 0–10 rating from a form field (a string), with messages that name it. */
function requiredRating(name: RatingName) {
  const label = RATING_TEXT[name].label;
  return z
    .string({
      required_error: `Give ${lowerFirst(label)} a number from 0 to 10.`,
      invalid_type_error: `Give ${lowerFirst(label)} a single number from 0 to 10.`,
    })
    .trim()
    .min(1, `Give ${lowerFirst(label)} a number from 0 to 10.`)
    .refine(isRating, `${label} must be a whole number from 0 to 10.`)
    .transform(Number);
}

/** A rating that may be skipped: missing or empty is null; anything else must be 0–10. */
function optionalRating(name: RatingName) {
  const label = RATING_TEXT[name].label;
  return z
    .string({ invalid_type_error: `Give ${lowerFirst(label)} a single number from 0 to 10, or skip it.` })
    .trim()
    .optional()
    .refine(
      (s) => s === undefined || s === "" || isRating(s),
      `${label} must be a whole number from 0 to 10, or left out.`,
    )
    .transform((s) => (s === undefined || s === "" ? null : Number(s)));
}

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .string({ required_error: `Give the ${what}.` })
    .trim()
    .refine(
      (s) => s === "" || (/^\d{1,3}$/.test(s) && Number(s) >= min && Number(s) <= max),
      `The ${what} must be a whole number from ${min} to ${max}.`,
    )
    .transform((s) => (s === "" ? 0 : Number(s)));

const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The start as a UTC instant: a full ISO 8601 time with its zone (the timer), or a wall time on the person's clock (the form). */
function readStart(text: string, timeZone: string): Date | null {
  if (WITH_ZONE.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return /T\d{2}:\d{2}/.test(text) ? wallTimeToUtc(text, timeZone) : null;
}

/** "2026-11-25T08:30" (on the person's clock, in `timeZone`) or a full ISO 8601 timestamp with a zone. */
const startedAtField = (timeZone: string) =>
  z
    .string({ required_error: "Give the date and time the session started." })
    .trim()
    .refine((s) => readStart(s, timeZone) !== null, "Give the start as a date and time, such as 2026-11-25T08:30.")
    .transform((s) => (readStart(s, timeZone) as Date).toISOString());

const ratingShape = {
  [REQUIRED_RATING]: requiredRating(REQUIRED_RATING),
  ...(Object.fromEntries(OPTIONAL_RATINGS.map((r) => [r, optionalRating(r)])) as {
    [K in (typeof OPTIONAL_RATINGS)[number]]: ReturnType<typeof optionalRating>;
  }),
};

/** The form's fields before cross-field checks; `known` are the mat ids a person may pick. */
function sessionFields(known: ReadonlySet<string>, timeZone: string) {
  return z.object({
    startedAt: startedAtField(timeZone),
    minutes: wholeNumber("minutes", 0, MAX_LOGGED_MINUTES),
    seconds: wholeNumber("seconds", 0, 59),
    position: z.enum(POSITIONS, { errorMap: () => ({ message: "Choose how you were on the mat." }) }),
    area: z.enum(SESSION_AREAS, { errorMap: () => ({ message: "Choose the body area on the mat." }) }),
    layer: z.enum(LAYERS, { errorMap: () => ({ message: "Choose bare skin or clothing." }) }),
    matId: z
      .string()
      .trim()
      .optional()
      .transform((s) => (s ? s : null))
      .refine((s) => s === null || known.has(s), "Choose a mat from the list, or leave it empty."),
    note: freeText(z.string().trim().max(1000, "Keep the note under 1,000 characters."))
      .optional()
      .transform((s) => (s ? s : null)),
    ...ratingShape,
  });
}

/** The names of the session form's fields, in the order the form asks them. */
export const SESSION_FORM_FIELDS: readonly string[] = Object.keys(sessionFields(new Set(), "UTC").shape);

/**
 * The schema for a session form. `matIds` are the catalogue's mat ids; an empty `matId`
 * means "not said". `now` bounds the start time (a session cannot start in the future). A
 * start typed without a zone is read on the clock of `timeZone` (IANA), the person's own.
 */
export function createSessionFormSchema(matIds: readonly string[], now: Date, timeZone = "UTC") {
  return sessionFields(new Set(matIds), timeZone)
    .superRefine((v, ctx) => {
      const total = v.minutes * 60 + v.seconds;
      if (total < 1)
        ctx.addIssue({ code: "custom", path: ["minutes"], message: "A session lasts at least one second." });
      if (total > MAX_LOGGED_MINUTES * 60)
        ctx.addIssue({
          code: "custom",
          path: ["minutes"],
          message: `The log takes sessions of up to ${MAX_LOGGED_MINUTES} minutes.`,
        });
      if (Date.parse(v.startedAt) > now.getTime() + 5 * 60_000)
        ctx.addIssue({ code: "custom", path: ["startedAt"], message: "The start cannot be in the future." });
    })
    .transform(({ minutes, seconds, ...rest }) => ({ ...rest, durationSeconds: minutes * 60 + seconds }));
}

export type SessionInput = z.output<ReturnType<typeof createSessionFormSchema>>;

/** A stored session as pages and charts see it. */
export interface MatSessionRecord extends SessionInput {
  id: string;
  createdAt: string;
}

/** Form field values that show `session` again (edit form, hidden fields), its start on the clock of `timeZone`. */
export function getSessionFormValues(session: SessionInput, timeZone = "UTC"): Record<string, string> {
  const out: Record<string, string> = {
    startedAt: getLocalWallTime(new Date(session.startedAt), timeZone),
    minutes: String(Math.floor(session.durationSeconds / 60)),
    seconds: String(session.durationSeconds % 60),
    position: session.position,
    area: session.area,
    layer: session.layer,
    matId: session.matId ?? "",
    note: session.note ?? "",
  };
  for (const r of RATINGS) out[r] = session[r] === null ? "" : String(session[r]);
  return out;
}

/** The longest session the timer offers, in seconds. */
export const MAX_TIMER_SECONDS = MAX_SESSION_MINUTES * 60;
