/**
 * The protocol of a personal experiment: what is measured, what the mat is compared with, and
 * how the days are laid out. Starting an experiment freezes it: its canonical JSON and SHA-256
 * are stored and shown with every result, and changing anything means a new experiment.
 *
 * Two shapes: a designed protocol ({@link ProtocolSchema}: comparator, sessions, periods,
 * the person's expectation, all fixed before the first day) and an imported one
 * ({@link ImportedProtocolSchema}, `source: "import"`): data kept elsewhere, brought in from a
 * `matwise analyze` CSV, of which matwise knows only what the file and the person say (the
 * outcome, which direction is better, the smallest change that matters, and the layout the
 * file shows). Code that reads a protocol narrows with {@link isImported}.
 * @module
 */
import { z } from "zod";
import { canonicalJson, contentHash } from "../canonical";
import { addDays, DEFAULT_CLOCK, type Clock } from "../datetime";
import { POSITIONS, SESSION_AREAS } from "../sessions/options";

/** Outcomes a person can choose as the primary one; the others are recorded as secondary outcomes. */
export const OUTCOMES = ["pain", "tension", "stress", "sleepQuality", "sleepLatency"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What one day of an experiment holds for each outcome, and the times woken of the morning check-in (null: not recorded). */
export type DayValues = Record<Outcome | "wakings", number | null>;

/** Which direction is better for each outcome: it follows from the outcome, the person never has to say. */
export const BETTER: Record<Outcome, "lower" | "higher"> = {
  pain: "lower",
  tension: "lower",
  stress: "lower",
  sleepQuality: "higher",
  sleepLatency: "lower",
};

/** The unit and range of each outcome's ratings. */
export const OUTCOME_SCALE: Record<
  Outcome,
  { min: number; max: number; unit: "points" | "minutes"; defaultMcid: number }
> = {
  pain: { min: 0, max: 10, unit: "points", defaultMcid: 1 },
  tension: { min: 0, max: 10, unit: "points", defaultMcid: 1 },
  stress: { min: 0, max: 10, unit: "points", defaultMcid: 1 },
  sleepQuality: { min: 0, max: 10, unit: "points", defaultMcid: 1 },
  sleepLatency: { min: 0, max: 600, unit: "minutes", defaultMcid: 10 },
};

/** What the mat is compared with on B days. Lying still without the mat separates the spikes from the rest. */
export const COMPARATORS = ["rest-without-mat", "no-session"] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** Period lengths offered, in days; one period is one condition, a pair of periods is one block. */
export const PERIOD_DAYS = [1, 2, 3, 7] as const;
export const MIN_PAIRS = 6;
export const MAX_PAIRS = 28;

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Give the time as HH:MM, such as 21:00.");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the date as YYYY-MM-DD.")
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    "That date does not exist.",
  );

/** The protocol as it is frozen; every field is part of the hash. */
export const ProtocolSchema = z
  .object({
    /** Version of this shape, so a frozen protocol can always be read again. */
    version: z.literal(1),
    primaryOutcome: z.enum(OUTCOMES),
    /** Smallest change that matters to the person, in the outcome's unit, > 0. */
    mcid: z.number().positive("The smallest change that matters must be more than 0."),
    comparator: z.enum(COMPARATORS),
    sessionMinutes: z.number().int().min(1).max(40),
    /** Local time of the session, HH:MM in the person's time zone. */
    sessionTime: localTime,
    position: z.enum(POSITIONS),
    area: z.enum(SESSION_AREAS),
    periodDays: z.union(
      PERIOD_DAYS.map((d) => z.literal(d)) as unknown as [
        z.ZodLiteral<1>,
        z.ZodLiteral<2>,
        z.ZodLiteral<3>,
        z.ZodLiteral<7>,
      ],
    ),
    pairs: z
      .number()
      .int()
      .min(MIN_PAIRS, `At least ${MIN_PAIRS} pairs of periods.`)
      .max(MAX_PAIRS, `At most ${MAX_PAIRS} pairs of periods.`),
    /** A rest day after each pair (not after the last). */
    washout: z.boolean(),
    /** The person's local date of the first day. */
    startsOn: isoDate,
    /** IANA time zone the dates and times are read in. */
    timeZone: z.string().min(1),
    /** Before starting: how much better the person expects the mat to be than the comparator, 0–10. */
    expectation: z.number().int().min(0).max(10),
  })
  .superRefine((p, ctx) => {
    const scale = OUTCOME_SCALE[p.primaryOutcome];
    if (p.mcid > scale.max - scale.min)
      ctx.addIssue({
        code: "custom",
        path: ["mcid"],
        message: `The smallest change that matters must be within the scale (at most ${scale.max - scale.min} ${scale.unit}).`,
      });
  });

/** A designed protocol (the shape has no `source`; it is the one matwise randomizes itself). */
export type Protocol = z.infer<typeof ProtocolSchema>;

const count = z.number().int().min(1);

/**
 * The protocol of an imported experiment: what the person said about the file (outcome, which
 * direction is better, the smallest change that matters) and what the file shows (its days,
 * blocks and period lengths, first and last date), with the file's name and SHA-256. It was
 * not set before the data were collected, so it is never called pre-registered.
 */
export const ImportedProtocolSchema = z
  .object({
    version: z.literal(1),
    source: z.literal("import"),
    primaryOutcome: z.enum(OUTCOMES),
    /** Which direction of the values is better, as the person said. */
    better: z.enum(["lower", "higher"]),
    /** Smallest change that matters to the person, in the outcome's unit, > 0. */
    mcid: z.number().positive("The smallest change that matters must be more than 0."),
    /** Whether the file has a `period` column; data.csv has it exactly when the file had. */
    periodColumn: z.boolean(),
    /** Rows per period in the file, shortest and longest (1 and 1 without a period column). */
    periodDays: z.object({ min: count, max: count }).refine((d) => d.min <= d.max),
    /** Randomization blocks in the file (pairs of periods when it has a period column). */
    blocks: count,
    /** Rows in the file, and how many of them have a value. */
    days: count,
    measuredDays: z.number().int().min(0),
    /** First and last date in the file. */
    startsOn: isoDate,
    endsOn: isoDate,
    /** IANA time zone the dates are read in. */
    timeZone: z.string().min(1),
    /** The file's name as the person's device gave it, and the SHA-256 of its bytes. */
    fileName: z.string().max(200),
    fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict()
  .superRefine((p, ctx) => {
    const scale = OUTCOME_SCALE[p.primaryOutcome];
    if (p.mcid > scale.max - scale.min)
      ctx.addIssue({
        code: "custom",
        path: ["mcid"],
        message: `The smallest change that matters must be within the scale (at most ${scale.max - scale.min} ${scale.unit}).`,
      });
    if (p.endsOn < p.startsOn)
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "The last date comes before the first." });
  });

export type ImportedProtocol = z.infer<typeof ImportedProtocolSchema>;

/** Any stored protocol: designed here, or brought in from a file. */
export type ExperimentProtocol = Protocol | ImportedProtocol;

/** Whether a protocol was brought in from a file (not designed, randomized or pre-registered in matwise). */
export function isImported(p: ExperimentProtocol): p is ImportedProtocol {
  return "source" in p && p.source === "import";
}

/** Reads a stored protocol in the shape its experiment's source says. */
export function parseStoredProtocol(source: "matwise" | "import", value: unknown): ExperimentProtocol {
  return source === "import" ? ImportedProtocolSchema.parse(value) : ProtocolSchema.parse(value);
}

/** The clock an experiment's dates are read on: its own time zone, the one its days were drawn in. */
export const clockOfProtocol = (p: ExperimentProtocol): Clock => ({
  locale: DEFAULT_CLOCK.locale,
  timeZone: p.timeZone,
});

/** Which direction is better: it follows from the outcome in a designed protocol; an imported one says. */
export function betterOf(p: ExperimentProtocol): "lower" | "higher" {
  return isImported(p) ? p.better : BETTER[p.primaryOutcome];
}

/** Whether `matwise analyze` is given a period column for this experiment (data.csv has one). */
export function hasPeriodColumn(p: ExperimentProtocol): boolean {
  return isImported(p) ? p.periodColumn : p.periodDays > 1;
}

/** Whether some period lasts more than a day (then the first day of each period can be left out as a carry-over check). */
export function hasLongPeriods(p: ExperimentProtocol): boolean {
  return isImported(p) ? p.periodColumn && p.periodDays.max > 1 : p.periodDays > 1;
}

/** A frozen protocol: the exact text that was hashed, and its SHA-256. */
export interface FrozenProtocol<P extends ExperimentProtocol = Protocol> {
  protocol: P;
  canonical: string;
  hash: string;
}

/** Freezes a valid protocol (designed or imported): its canonical JSON and the SHA-256 of that text. */
export function freezeProtocol<P extends ExperimentProtocol>(protocol: P): FrozenProtocol<P> {
  const valid = (isImported(protocol) ? ImportedProtocolSchema.parse(protocol) : ProtocolSchema.parse(protocol)) as P;
  return { protocol: valid, canonical: canonicalJson(valid), hash: contentHash(valid) };
}

/** Whether a stored protocol still matches its stored hash (it was not changed after freezing). */
export function isIntact(frozen: { canonical: string; hash: string }): boolean {
  try {
    return contentHash(JSON.parse(frozen.canonical) as unknown) === frozen.hash;
  } catch {
    return false;
  }
}

/** Number of calendar days the protocol runs, washout days included. */
export function protocolLength(p: { periodDays: number; pairs: number; washout: boolean }): number {
  return p.pairs * 2 * p.periodDays + (p.washout ? p.pairs - 1 : 0);
}

/**
 * The planned last day of a designed experiment (YYYY-MM-DD, the person's local date): the day
 * its concealment lifts, its phase turns complete and its fixed analysis is shown.
 */
export function lastPlannedDay(p: { startsOn: string; periodDays: number; pairs: number; washout: boolean }): string {
  return addDays(p.startsOn, protocolLength(p) - 1);
}
