/**
 * The experiment designer: one decision per screen, each screen a GET form that carries the
 * answers so far, so it works without JavaScript and the back button never loses anything.
 * This module says which fields each step asks, reads the answers given so far, and builds the
 * protocol to freeze once every step is answered.
 * @module
 */
import { z } from "zod";
import { addDays } from "../datetime";
import { POSITIONS, SESSION_AREAS } from "../sessions/options";
import type { PERIOD_DAYS } from "./protocol";
import {
  BETTER,
  COMPARATORS,
  MAX_PAIRS,
  MIN_PAIRS,
  OUTCOME_SCALE,
  OUTCOMES,
  ProtocolSchema,
  type Outcome,
  type Protocol,
} from "./protocol";

/** The screens, in order; each names the fields it asks. */
export const DESIGN_STEPS = [
  { id: "outcome", fields: ["outcome"] },
  { id: "mcid", fields: ["mcid"] },
  { id: "comparator", fields: ["comparator"] },
  { id: "session", fields: ["minutes", "time", "position", "area"] },
  { id: "periods", fields: ["periodDays", "pairs", "washout"] },
  { id: "expectation", fields: ["expectation"] },
  { id: "review", fields: ["startsOn"] },
] as const;

export type DesignStepId = (typeof DESIGN_STEPS)[number]["id"];
export type DesignField = (typeof DESIGN_STEPS)[number]["fields"][number];

/** Every field the designer carries from screen to screen. */
export const DESIGN_FIELDS: readonly DesignField[] = DESIGN_STEPS.flatMap((s) => [...s.fields]);

/** Pairs that make about six weeks with the given period length (the default). */
export function defaultPairs(periodDays: number): number {
  return Math.min(MAX_PAIRS, Math.max(MIN_PAIRS, Math.round(42 / (2 * periodDays))));
}

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { errorMap: () => ({ message }) });
const number = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .min(1, message)
    .refine((s) => /^-?\d+(\.\d+)?$/.test(s), message)
    .transform(Number);

/** Field schemas, each with a message that says how to fix it. */
const FIELD_SCHEMAS = {
  outcome: choice(OUTCOMES, "Choose what you want to improve."),
  mcid: number("Give the smallest change that matters as a number, such as 1."),
  comparator: choice(COMPARATORS, "Choose what to do on the other days."),
  minutes: number("Give the session length in whole minutes.").refine(
    (n) => Number.isInteger(n) && n >= 1 && n <= 40,
    "Sessions last 1 to 40 minutes.",
  ),
  time: z
    .string({ required_error: "Give a time of day." })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Give the time as HH:MM, such as 21:00."),
  position: choice(POSITIONS, "Choose how you will be on the mat."),
  area: choice(SESSION_AREAS, "Choose the body area."),
  periodDays: choice(["1", "2", "3", "7"], "Choose 1, 2, 3 or 7 days per period.").transform(Number),
  pairs: number(`Give the number of pairs, from ${MIN_PAIRS} to ${MAX_PAIRS}.`).refine(
    (n) => Number.isInteger(n) && n >= MIN_PAIRS && n <= MAX_PAIRS,
    `Choose from ${MIN_PAIRS} to ${MAX_PAIRS} pairs.`,
  ),
  washout: z.enum(["yes", "no"], { errorMap: () => ({ message: "Say whether to rest a day between pairs." }) }),
  expectation: number("Choose a number from 0 to 10.").refine(
    (n) => Number.isInteger(n) && n >= 0 && n <= 10,
    "Choose a number from 0 to 10.",
  ),
  startsOn: z
    .string({ required_error: "Give the first day." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the first day as a date."),
} satisfies Record<DesignField, z.ZodTypeAny>;

export interface DesignState {
  /** The step to show (the first one with a problem, or the one asked for). */
  step: number;
  /** Raw values of every field given so far, to carry forward in hidden inputs. */
  values: Partial<Record<DesignField, string>>;
  errors: Record<string, string[]>;
}

/** Defaults shown on a step before the person changes them. */
export function designDefaults(
  values: Partial<Record<DesignField, string>>,
  today: string,
): Record<DesignField, string> {
  const outcome = (OUTCOMES as readonly string[]).includes(values.outcome ?? "") ? (values.outcome as Outcome) : "pain";
  const periodDays = Number(values.periodDays ?? "1") || 1;
  return {
    outcome,
    mcid: String(OUTCOME_SCALE[outcome].defaultMcid),
    comparator: "rest-without-mat",
    minutes: "15",
    time: outcome === "sleepQuality" || outcome === "sleepLatency" ? "21:30" : "19:00",
    position: "lying",
    area: "back",
    periodDays: "1",
    pairs: String(defaultPairs(periodDays)),
    washout: "no",
    expectation: "",
    startsOn: today,
  };
}

/**
 * Reads the designer's query: the answers so far, and the step to show. Answers of the steps
 * before `asked` are checked; the first step with a problem is shown with its messages.
 */
export function readDesign(query: (name: string) => string | null, asked: number): DesignState {
  const values: Partial<Record<DesignField, string>> = {};
  for (const f of DESIGN_FIELDS) {
    const v = query(f);
    if (v !== null) values[f] = v.slice(0, 40);
  }
  const target = Math.min(Math.max(0, Number.isInteger(asked) ? asked : 0), DESIGN_STEPS.length - 1);
  for (let i = 0; i < target; i++) {
    const errors = checkStep(i, values);
    if (Object.keys(errors).length > 0) return { step: i, values, errors };
  }
  return { step: target, values, errors: {} };
}

/** Messages for one step's fields (and the cross-field rules that belong to it). */
export function checkStep(index: number, values: Partial<Record<DesignField, string>>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const f of DESIGN_STEPS[index]?.fields ?? []) {
    const r = FIELD_SCHEMAS[f].safeParse(values[f]);
    if (!r.success) errors[f] = [r.error.issues[0]?.message ?? "Check this answer."];
  }
  if (DESIGN_STEPS[index]?.id === "mcid" && !errors["mcid"]) {
    const outcome = (OUTCOMES as readonly string[]).includes(values.outcome ?? "")
      ? (values.outcome as Outcome)
      : "pain";
    const scale = OUTCOME_SCALE[outcome];
    const mcid = Number(values.mcid);
    if (!(mcid > 0 && mcid <= scale.max - scale.min))
      errors["mcid"] = [`Give a number above 0 and at most ${scale.max - scale.min} ${scale.unit}.`];
  }
  return errors;
}

/** The protocol from a complete design, or the step and messages of the first problem. */
export function buildProtocol(
  values: Partial<Record<DesignField, string>>,
  timeZone: string,
): { ok: true; protocol: Protocol } | { ok: false; step: number; errors: Record<string, string[]> } {
  for (let i = 0; i < DESIGN_STEPS.length; i++) {
    const errors = checkStep(i, values);
    if (Object.keys(errors).length > 0) return { ok: false, step: i, errors };
  }
  const built = protocolOfDesign(values, timeZone);
  return built.ok ? built : { ...built, step: DESIGN_STEPS.length - 1 };
}

/**
 * The protocol of a design whose steps all pass `checkStep` (the designer's, or a study's with a
 * participant's choices), on the person's clock `timeZone`; or the message of the last check.
 */
export function protocolOfDesign(
  values: Partial<Record<DesignField, string>>,
  timeZone: string,
): { ok: true; protocol: Protocol } | { ok: false; errors: Record<string, string[]> } {
  const parsed = ProtocolSchema.safeParse({
    version: 1,
    primaryOutcome: values.outcome,
    mcid: Number(values.mcid),
    comparator: values.comparator,
    sessionMinutes: Number(values.minutes),
    sessionTime: values.time,
    position: values.position,
    area: values.area,
    periodDays: Number(values.periodDays) as (typeof PERIOD_DAYS)[number],
    pairs: Number(values.pairs),
    washout: values.washout === "yes",
    startsOn: values.startsOn,
    timeZone,
    expectation: Number(values.expectation),
  });
  if (!parsed.success)
    return { ok: false, errors: { startsOn: [parsed.error.issues[0]?.message ?? "Check the first day."] } };
  return { ok: true, protocol: parsed.data };
}

/** How far ahead a first day may be set, in days after the person's today. */
export const MAX_DAYS_AHEAD = 30;

/** Why `startsOn` cannot be an experiment's first day on the person's local date `today`, or null: from today to MAX_DAYS_AHEAD days ahead. */
export function firstDayProblem(startsOn: string, today: string): string | null {
  return startsOn < today || startsOn > addDays(today, MAX_DAYS_AHEAD)
    ? `Choose a first day from today to ${MAX_DAYS_AHEAD} days ahead.`
    : null;
}

/** Which direction is better, in words, for the mcid screen. */
export function betterWords(outcome: Outcome): string {
  return BETTER[outcome] === "lower" ? "lower is better" : "higher is better";
}
