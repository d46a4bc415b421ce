/**
 * Charts of a personal experiment, drawn on the server as SVG (no JavaScript in the browser):
 * the daily series coloured by condition, and the mean of each condition. Each SVG is an image
 * with a name and a description; the page prints the sentence beside it.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { render, type ChartText } from "./sessions";
import { formatNumber } from "../../core/format";
import { drawOnce } from "./memo";

/**
 * How each condition is drawn, in the order the conditions are given (the mat first): the chart and
 * its legend both read this, so the words always match the marks.
 */
export const SERIES_MARKS = [
  { color: "currentColor", symbol: "circle", words: "dark circles" },
  { color: "#8a8f94", symbol: "plus", words: "grey plus signs" },
] as const;

/** The legend of the series chart in words, from the same marks it draws: "dark circles: with the mat; grey plus signs: …". */
export function seriesLegend(conditions: readonly string[]): string {
  return conditions.map((c, i) => `${SERIES_MARKS[i]?.words ?? "marks"}: ${c.toLowerCase()}`).join("; ");
}

export interface SeriesPoint {
  day: number;
  value: number;
  /** "With the mat" or the comparator's short name. */
  condition: string;
}

/**
 * One mark per measured day, coloured and shaped by condition (`conditions` in order, the mat first,
 * drawn as SERIES_MARKS says), over the days of the experiment.
 */
export function renderSeriesChart(
  points: readonly SeriesPoint[],
  scale: { min: number; max: number; label: string },
  text: ChartText,
  conditions: readonly string[],
): string {
  return drawOnce("series", [points, scale, text, conditions], () => drawSeriesChart(points, scale, text, conditions));
}

function drawSeriesChart(
  points: readonly SeriesPoint[],
  scale: { min: number; max: number; label: string },
  text: ChartText,
  conditions: readonly string[],
): string {
  const rows = points.map((p) => ({
    ...p,
    title: `Day ${p.day}, ${p.condition.toLowerCase()}: ${formatNumber(p.value)}`,
  }));
  const marks = SERIES_MARKS.slice(0, conditions.length);
  return render(
    {
      width: 460,
      height: 240,
      marginLeft: 40,
      marginBottom: 40,
      color: { legend: false, domain: [...conditions], range: marks.map((m) => m.color) },
      symbol: { legend: false, domain: [...conditions], range: marks.map((m) => m.symbol) },
      x: { label: "Day", grid: false, tickFormat: (v: number) => formatNumber(v, 0) },
      y: { label: scale.label, domain: [scale.min, scale.max], grid: true, tickFormat: (v: number) => formatNumber(v) },
      marks: [
        Plot.dot(rows, {
          x: "day",
          y: "value",
          stroke: "condition",
          symbol: "condition",
          r: 4,
          strokeWidth: 1.6,
          title: "title",
        }),
      ],
    },
    text,
  );
}

/** The mean of each condition as a bar with its value, on the outcome's scale. */
export function renderMeansChart(
  means: readonly { condition: string; mean: number }[],
  scale: { min: number; max: number; label: string },
  text: ChartText,
): string {
  return drawOnce("means", [means, scale, text], () => drawMeansChart(means, scale, text));
}

function drawMeansChart(
  means: readonly { condition: string; mean: number }[],
  scale: { min: number; max: number; label: string },
  text: ChartText,
): string {
  const rows = means.map((m) => ({ ...m, title: `${m.condition}: mean ${formatNumber(m.mean)}` }));
  return render(
    {
      width: 460,
      height: 150,
      // Room for the longest condition's name ("lying still without the mat"): about 6 px a character at Plot's 10 px.
      marginLeft: Math.max(80, 16 + 6 * Math.max(...rows.map((r) => r.condition.length))),
      marginBottom: 40,
      x: { label: scale.label, domain: [scale.min, scale.max], grid: true, tickFormat: (v: number) => formatNumber(v) },
      y: { label: null, domain: rows.map((r) => r.condition) },
      marks: [
        Plot.barX(rows, { y: "condition", x: "mean", fill: "currentColor", fillOpacity: 0.7, title: "title" }),
        Plot.text(rows, {
          y: "condition",
          x: "mean",
          text: (d: { mean: number }) => formatNumber(d.mean),
          dx: 14,
          fill: "currentColor",
        }),
      ],
    },
    text,
  );
}
