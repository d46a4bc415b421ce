/**
 * Charts of a personal experiment, drawn on the server as SVG (no JavaScript in the browser):
 * the daily series coloured by condition, and the mean of each condition. Each SVG is an image
 * with a name and a description; the page prints the sentence beside it.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { render, type ChartText } from "./sessions";

export interface SeriesPoint {
  day: number;
  value: number;
  /** "With the mat" or the comparator's short name. */
  condition: string;
}

/** One dot per measured day, coloured and shaped by condition, over the days of the experiment. */
export function renderSeriesChart(points: readonly SeriesPoint[], scale: { min: number; max: number; label: string }, text: ChartText): string {
  const rows = points.map((p) => ({ ...p, title: `Day ${p.day}, ${p.condition.toLowerCase()}: ${p.value}` }));
  return render(
    {
      width: 460,
      height: 240,
      marginLeft: 40,
      marginBottom: 40,
      color: { legend: false, range: ["currentColor", "#8a8f94"] },
      symbol: { legend: false },
      x: { label: "Day", grid: false },
      y: { label: scale.label, domain: [scale.min, scale.max], grid: true },
      marks: [Plot.dot(rows, { x: "day", y: "value", stroke: "condition", symbol: "condition", r: 4, strokeWidth: 1.6, title: "title" })],
    },
    text,
  );
}

/** The mean of each condition as a bar with its value, on the outcome's scale. */
export function renderMeansChart(means: readonly { condition: string; mean: number }[], scale: { min: number; max: number; label: string }, text: ChartText): string {
  const rows = means.map((m) => ({ ...m, title: `${m.condition}: mean ${m.mean.toFixed(1)}` }));
  return render(
    {
      width: 460,
      height: 150,
      marginLeft: 150,
      marginBottom: 40,
      x: { label: scale.label, domain: [scale.min, scale.max], grid: true },
      y: { label: null, domain: rows.map((r) => r.condition) },
      marks: [Plot.barX(rows, { y: "condition", x: "mean", fill: "currentColor", fillOpacity: 0.7, title: "title" }), Plot.text(rows, { y: "condition", x: "mean", text: (d: { mean: number }) => d.mean.toFixed(1), dx: 14, fill: "currentColor" })],
    },
    text,
  );
}
