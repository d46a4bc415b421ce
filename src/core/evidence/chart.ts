/**
 * The picture of an outcome area: one row per trial with its comparator, its size as a bar and
 * one mark per counted result, so a reader sees at a glance why the certainty is what it is.
 * Pure: data in, SVG text out (no DOM, no browser), drawn at build time on prerendered pages.
 * Filled marks are results against a control (graded); hollow marks are changes within groups or
 * side effects (shown, never graded). Colour is never the only cue: every kind has its own shape.
 * @see docs/decisions/022-evidence-pages.md
 */
import { escapeMarkup } from "../markup";
import type { AreaResult } from "./grade";
import type { Entry, Study } from "./schema";

/** The kinds of mark, one per way a result can go. */
export const MARKS = [
  "better",
  "no-difference",
  "worse",
  "changed",
  "mixed",
  "all-improved",
  "mat-only",
  "one-group",
  "one-group-null",
  "within-other",
  "side-effects",
] as const;
export type Mark = (typeof MARKS)[number];

/** What each mark means, in the words of the legend. */
export const MARK_LABELS: Record<Mark, string> = {
  better: "better with the mat than the control",
  "no-difference": "no difference between groups",
  worse: "worse with the mat than the control",
  changed: "different with the mat, neither better nor worse",
  mixed: "mixed result against the control",
  "all-improved": "every group or condition improved (not a comparison)",
  "mat-only": "changed in the mat group only; groups not compared directly",
  "one-group": "change within one group, no comparison group",
  "one-group-null": "no significant change within one group, no comparison group",
  "within-other": "change within groups (not a comparison)",
  "side-effects": "side effects counted, not compared",
};

/** The mark for one result: by what was compared first, then by which way it went. */
export function getMark(r: Pick<AreaResult, "comparison" | "direction" | "groups">): Mark {
  if (r.comparison === "side-effects") return "side-effects";
  if (r.comparison === "between-groups") return r.direction === "improved" ? "better" : r.direction;
  if (r.groups === "all") return r.direction === "improved" ? "all-improved" : "within-other";
  if (r.groups === "mat-only") return "mat-only";
  // A null is not drawn like a change: it has its own mark and legend entry.
  return r.direction === "no-difference" ? "one-group-null" : "one-group";
}

export interface TrialRow {
  study: string;
  name: string;
  comparator: string;
  /** Participants analysed; null when the source does not report it. */
  n: number | null;
  results: { measure: string; mark: Mark; label: string; graded: boolean }[];
}

/** One row per study, in the order its first result appears in the area. */
export function getTrialRows(results: readonly AreaResult[], studies: readonly Entry<Study>[]): TrialRow[] {
  const rows: TrialRow[] = [];
  for (const r of results) {
    let row = rows.find((x) => x.study === r.study);
    if (!row) {
      const s = studies.find((x) => x.id === r.study);
      row = {
        study: r.study,
        name: r.studyName,
        comparator: s?.data.comparator ?? "",
        n: s?.data.nAnalysed ?? null,
        results: [],
      };
      rows.push(row);
    }
    row.results.push({ measure: r.measure, mark: getMark(r), label: r.label, graded: r.graded });
  }
  return rows;
}

/** The marks used in some rows, in legend order. */
export function getUsedMarks(rows: readonly TrialRow[]): Mark[] {
  const used = new Set(rows.flatMap((r) => r.results.map((x) => x.mark)));
  return MARKS.filter((m) => used.has(m));
}

const num = (x: number): string => String(Math.round(x * 10) / 10);

/** SVG elements (no wrapper) of one mark centred on (x, y), about 12 units across. */
export function getMarkShape(mark: Mark, x: number, y: number): string {
  const filled = 'fill="currentColor"';
  const hollow = 'fill="none" stroke="currentColor" stroke-width="1.6"';
  const up = `${num(x)},${num(y - 6)} ${num(x + 6)},${num(y + 5)} ${num(x - 6)},${num(y + 5)}`;
  const down = `${num(x - 6)},${num(y - 5)} ${num(x + 6)},${num(y - 5)} ${num(x)},${num(y + 6)}`;
  const diamond = `${num(x)},${num(y - 6)} ${num(x + 6)},${num(y)} ${num(x)},${num(y + 6)} ${num(x - 6)},${num(y)}`;
  switch (mark) {
    case "better":
      return `<polygon points="${up}" ${filled}/>`;
    case "worse":
      return `<polygon points="${down}" ${filled}/>`;
    case "no-difference":
      return `<circle cx="${num(x)}" cy="${num(y)}" r="5.5" ${filled}/>`;
    case "changed":
      return `<polygon points="${diamond}" ${filled}/>`;
    case "mixed":
      return `<rect x="${num(x - 5.5)}" y="${num(y - 5.5)}" width="11" height="11" ${filled}/>`;
    case "all-improved":
      return `<polygon points="${up}" ${hollow}/>`;
    case "mat-only":
      return `<polygon points="${up}" ${hollow}/><circle cx="${num(x)}" cy="${num(y + 1.5)}" r="1.8" fill="currentColor"/>`;
    case "one-group":
      return `<circle cx="${num(x)}" cy="${num(y)}" r="5" ${hollow}/>`;
    case "one-group-null":
      return `<circle cx="${num(x)}" cy="${num(y)}" r="5" ${hollow}/><path d="M${num(x - 3)} ${num(y)}H${num(x + 3)}" stroke="currentColor" stroke-width="1.6"/>`;
    case "within-other":
      return `<polygon points="${diamond}" ${hollow}/>`;
    case "side-effects":
      return `<path d="M${num(x - 5)} ${num(y - 5)}L${num(x + 5)} ${num(y + 5)}M${num(x + 5)} ${num(y - 5)}L${num(x - 5)} ${num(y + 5)}" stroke="currentColor" stroke-width="2"/>`;
  }
}

/** A mark on its own, as a small inline SVG for legends in HTML (decorative: the words are beside it). */
export function renderMarkIcon(mark: Mark): string {
  return `<svg class="mark-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${getMarkShape(mark, 8, 8.5)}</svg>`;
}

export const CHART_WIDTH = 340;
const ROW_HEIGHT = 46;
const BAR_MAX = 120;
const MARKS_X = 206;
const MARK_STEP = 18;

/**
 * The chart of one area as an SVG string: for each trial its name and comparator, a bar as long as
 * its number analysed (on a scale shared by every chart, `maxN` people = the full bar; a dashed
 * stub when the size is not reported), and one mark per counted result. Each mark carries a
 * <title> with its words. The SVG is an image named by `labelledBy`; the page puts the same
 * content beside it as text.
 */
export function renderTrialChart(rows: readonly TrialRow[], opts: { maxN: number; labelledBy: string }): string {
  const height = rows.length * ROW_HEIGHT + 4;
  const width = Math.max(CHART_WIDTH, MARKS_X + Math.max(0, ...rows.map((r) => r.results.length)) * MARK_STEP);
  const parts: string[] = [];
  rows.forEach((row, i) => {
    const top = i * ROW_HEIGHT;
    const barY = top + 28;
    parts.push(
      `<text x="0" y="${top + 15}" class="chart-name">${escapeMarkup(row.name)}<tspan class="chart-comparator" dx="6">${escapeMarkup(row.comparator)}</tspan></text>`,
    );
    if (row.n === null) {
      parts.push(
        `<rect x="0.5" y="${barY - 5}" width="24" height="10" fill="none" stroke="currentColor" stroke-dasharray="3 2"/>`,
      );
      parts.push(`<text x="30" y="${barY + 4}" class="chart-n">size not reported</text>`);
    } else {
      const w = Math.max(2, (BAR_MAX * row.n) / Math.max(1, opts.maxN));
      parts.push(`<rect x="0" y="${barY - 5}" width="${num(w)}" height="10" fill="currentColor" opacity="0.45"/>`);
      parts.push(`<text x="${num(w + 6)}" y="${barY + 4}" class="chart-n">${row.n} people</text>`);
    }
    row.results.forEach((r, j) => {
      const x = MARKS_X + j * MARK_STEP;
      parts.push(`<g><title>${escapeMarkup(`${r.measure}: ${r.label}`)}</title>${getMarkShape(r.mark, x, barY)}</g>`);
    });
    if (i < rows.length - 1)
      parts.push(
        `<line x1="0" x2="${width}" y1="${top + ROW_HEIGHT - 4}" y2="${top + ROW_HEIGHT - 4}" stroke="currentColor" stroke-opacity="0.2"/>`,
      );
  });
  return `<svg class="trial-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${escapeMarkup(opts.labelledBy)}" focusable="false">${parts.join("")}</svg>`;
}
