/**
 * Bringing in an experiment kept on paper or in another app: a `matwise analyze` CSV read by
 * the same reader as the command (so a bad file gets the command's one-line message), checked
 * for what matwise can store, and turned into an imported protocol and the days as they are in
 * the file. Days missing from the file are not invented; nothing is randomized here.
 * @module
 */
import { rowError } from "../stats/fields";
import { parseAnalyzeCsv, parseIsoDate, type Condition, type Day } from "../stats/experiment";
import type { AnalysisRow } from "./days";
import { OUTCOME_TEXT } from "./labels";
import { OUTCOME_SCALE, OUTCOMES, ImportedProtocolSchema, type ImportedProtocol, type Outcome } from "./protocol";

/** The largest file an import takes: 2 MB, about 80,000 rows, far more than the 10,000 days the analysis accepts. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** The limit in words, for the page and its messages. */
export const MAX_IMPORT_SIZE_TEXT = "2 MB";

/** Significant digits a stored value keeps exactly (the database stores single-precision numbers). */
export const IMPORT_DIGITS = 6;

/** Blocks and periods are stored as 32-bit integers. */
const MAX_INT = 2_147_483_647;

/** The fields of the import form, checked; messages say how to fix each. */
export interface ImportChoices {
  outcome: Outcome;
  better: "lower" | "higher";
  mcid: number;
}

/** Reads the import form's fields; `errors` holds one message per field with a problem. */
export function readImportChoices(
  values: Record<"outcome" | "better" | "mcid", string>,
): { ok: true; choices: ImportChoices } | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const outcome = (OUTCOMES as readonly string[]).includes(values.outcome) ? (values.outcome as Outcome) : null;
  if (!outcome) errors["outcome"] = ["Choose what the values in the file measure."];
  const better = values.better === "lower" || values.better === "higher" ? values.better : null;
  if (!better) errors["better"] = ["Say whether lower or higher values are better."];
  const mcidText = values.mcid.trim();
  const mcid = Number(mcidText);
  const range = outcome ? OUTCOME_SCALE[outcome].max - OUTCOME_SCALE[outcome].min : Infinity;
  if (!/^\d+(\.\d+)?$/.test(mcidText))
    errors["mcid"] = ["Give the smallest change that matters as a number, such as 1."];
  else if (!(mcid > 0)) errors["mcid"] = ["Give a number above 0: the smallest change that would matter to you."];
  else if (outcome && mcid > range)
    errors["mcid"] = [`Give a number above 0 and at most ${range} ${OUTCOME_SCALE[outcome].unit}.`];
  if (!outcome || !better || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, choices: { outcome, better, mcid } };
}

/** One day as it is stored: its place in the file's design and its value. */
export interface ImportedDay {
  date: string;
  /** Calendar day from the first date in the file, 1-based (days missing from the file leave gaps). */
  day: number;
  block: number;
  /** The file's period; without a period column, the day's place in its block (each day is its own period). */
  period: number;
  condition: Condition;
  firstOfPeriod: boolean;
  value: number | null;
}

export interface ReadImport {
  protocol: ImportedProtocol;
  /** In date order. */
  days: ImportedDay[];
  /** The days as `matwise analyze` reads them from the file. */
  analyzed: Day[];
}

/** The file name as shown: the last part of a path, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return (
    base
      .replace(/[\u0000-\u001f\u007f]/g, "")
      .trim()
      .slice(0, 200) || "file.csv"
  );
}

/**
 * Reads an analyze CSV for an import. Messages are the command's for everything the command
 * checks; then, naming the row the same way: a value outside the outcome's scale, a value with
 * more digits than are stored, a date after `today`, a block or period too large to store.
 */
export function readImport(
  text: string,
  choices: ImportChoices,
  file: { name: string; sha256: string },
  clock: { today: string; timeZone: string },
): ReadImport {
  const { days: analyzed, rows, periodColumn } = parseAnalyzeCsv(text);
  const scale = OUTCOME_SCALE[choices.outcome];
  const what = OUTCOME_TEXT[choices.outcome].label.toLowerCase();
  const unit = scale.unit === "points" ? "" : ` ${scale.unit}`;
  analyzed.forEach((d, i) => {
    const row = rows[i]!;
    if (d.date > clock.today)
      throw rowError(
        row,
        `date ${d.date} is after today (${clock.today}); only days that have passed can be brought in`,
      );
    for (const [name, n] of [
      ["block", d.block],
      ["period", d.period],
    ] as const) {
      if (n !== undefined && Math.abs(n) > MAX_INT)
        throw rowError(row, `${name} ${n} is too large to store (at most ${MAX_INT})`);
    }
    if (d.value === null) return;
    if (d.value < scale.min || d.value > scale.max)
      throw rowError(row, `value ${d.value} is outside the scale of ${what} (${scale.min} to ${scale.max}${unit})`);
    if (Number(d.value.toPrecision(IMPORT_DIGITS)) !== d.value) {
      throw rowError(
        row,
        `value ${d.value} has more digits than matwise keeps; round it to ${IMPORT_DIGITS} significant digits (such as ${Number(d.value.toPrecision(IMPORT_DIGITS))})`,
      );
    }
  });

  const sorted = analyzed.map((d, i) => ({ d, i, index: parseIsoDate(d.date)! })).sort((a, b) => a.index - b.index);
  const first = sorted[0]!.index;
  const inBlock = new Map<number, number>();
  const seenPeriods = new Set<string>();
  const lengths = new Map<string, number>();
  const days = sorted.map(({ d, index }): ImportedDay => {
    const ordinal = (inBlock.get(d.block) ?? 0) + 1;
    inBlock.set(d.block, ordinal);
    const period = d.period ?? ordinal;
    const key = `${d.block}/${period}`;
    const firstOfPeriod = !seenPeriods.has(key);
    seenPeriods.add(key);
    lengths.set(key, (lengths.get(key) ?? 0) + 1);
    return {
      date: d.date,
      day: index - first + 1,
      block: d.block,
      period,
      condition: d.condition,
      firstOfPeriod,
      value: d.value,
    };
  });
  const periodLengths = [...lengths.values()];
  const protocol = ImportedProtocolSchema.parse({
    version: 1,
    source: "import",
    primaryOutcome: choices.outcome,
    better: choices.better,
    mcid: choices.mcid,
    periodColumn,
    periodDays: { min: Math.min(...periodLengths), max: Math.max(...periodLengths) },
    blocks: inBlock.size,
    days: days.length,
    measuredDays: days.filter((d) => d.value !== null).length,
    startsOn: days[0]!.date,
    endsOn: days[days.length - 1]!.date,
    timeZone: clock.timeZone,
    fileName: cleanFileName(file.name),
    fileSha256: file.sha256,
  } satisfies ImportedProtocol);
  return { protocol, days, analyzed };
}

/**
 * The analysis rows of an imported experiment: its days exactly as the file gave them (no
 * schedule to follow, nothing cut at today). For the carry-over check the first day of each
 * period counts as not measured: its row stays, so a file's one-day period does not leave its
 * block with a single period (the randomization test treats a missing day and an absent row
 * alike).
 */
export function importedAnalysisRows(
  days: readonly ImportedDay[],
  opts: { dropFirstDayOfPeriod?: boolean } = {},
): AnalysisRow[] {
  return days.map((d) => ({
    date: d.date,
    block: d.block,
    period: d.period,
    condition: d.condition,
    value: opts.dropFirstDayOfPeriod && d.firstOfPeriod ? null : d.value,
  }));
}
