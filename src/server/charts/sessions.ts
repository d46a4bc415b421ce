/**
 * Charts of the session log, drawn on the server as SVG with Observable Plot (linkedom as the
 * document), so they need no JavaScript in the browser. Each SVG is an image with an
 * accessible name; the page prints the summary sentence beside it, and every mark carries a
 * `title` (a native tooltip) rather than an interactive tip.
 * @module
 */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { type Measure } from "../../core/sessions/options";
import { MEASURE_TEXT } from "../../core/sessions/labels";
import type { DiscomfortSeries, MeasureChange } from "../../core/sessions/summary";
import { formatCalendarDate } from "../../core/datetime";
import { drawOnce } from "./memo";

export interface ChartText {
  /** Accessible name of the SVG: what the chart is. */
  label: string;
  /** Longer text alternative: the summary sentence. */
  description: string;
}

/** Renders a Plot figure to an SVG string marked as an image with a name and a description. */
export function render(options: Plot.PlotOptions, text: ChartText): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const svg = Plot.plot({
    ...options,
    document: document,
    ariaLabel: text.label,
    ariaDescription: text.description,
    style: { background: "transparent", color: "currentColor", fontSize: "13px", overflow: "visible" },
  }) as unknown as Element;
  svg.setAttribute("role", "img");
  // Inside an image the parts are not announced; Plot's labels on plain groups would only be invalid ARIA.
  for (const el of Array.from(svg.querySelectorAll("[aria-label], [aria-description]"))) {
    el.removeAttribute("aria-label");
    el.removeAttribute("aria-description");
  }
  svg.removeAttribute("width");
  svg.setAttribute("class", `${svg.getAttribute("class") ?? ""} session-chart`.trim());
  return svg.outerHTML;
}

/** Size of a chart: the session log draws it large, Today small. */
export interface ChartOptions {
  width?: number;
  height?: number;
}

const UNIT_TEXT = { week: "Week of", month: "Month of" } as const;
const sessionsWord = (n: number) => (n === 1 ? "1 session" : `${n} sessions`);

/**
 * Discomfort on the mat over time: how a person gets used to the spikes. A short history is
 * drawn session by session; a long one as a point a week or a month (`binDiscomfort`), so the
 * chart stays the same size whatever the count.
 */
export function renderDiscomfortChart(series: DiscomfortSeries, text: ChartText, opts: ChartOptions = {}): string {
  return drawOnce("discomfort", [series, text, opts], () => drawDiscomfortChart(series, text, opts));
}

function drawDiscomfortChart(series: DiscomfortSeries, text: ChartText, opts: ChartOptions): string {
  const size = { width: opts.width ?? 420, height: opts.height ?? 260, marginLeft: 40, marginBottom: 40 };
  const y = { label: "Discomfort (0–10)", domain: [0, 10], grid: true };
  if (series.unit === "session") {
    const rows = series.points.map((p, i) => ({
      n: i + 1,
      discomfort: p.discomfort,
      title: `Session ${i + 1} (${formatCalendarDate(p.from, "shortDate")}): discomfort ${p.discomfort} out of 10`,
    }));
    return render(
      {
        ...size,
        x: {
          label: "Session",
          domain: [0.5, Math.max(1, rows.length) + 0.5],
          ticks: Math.min(10, rows.length),
          tickFormat: "d",
        },
        y,
        marks: [
          Plot.ruleY([0]),
          Plot.lineY(rows, { x: "n", y: "discomfort", stroke: "currentColor", strokeOpacity: 0.6 }),
          Plot.dot(rows, { x: "n", y: "discomfort", fill: "currentColor", r: 4, title: "title" }),
        ],
      },
      text,
    );
  }
  const unit = series.unit;
  const rows = series.points.map((p) => ({
    from: new Date(`${p.from}T00:00:00Z`),
    discomfort: p.discomfort,
    title: `${UNIT_TEXT[unit]} ${formatCalendarDate(p.from, unit === "week" ? "shortDate" : "monthYear")}: discomfort ${p.discomfort} out of 10 on average over ${sessionsWord(p.count)}`,
  }));
  return render(
    {
      ...size,
      x: { type: "utc", label: unit === "week" ? "Week" : "Month", ticks: 5 },
      y,
      marks: [
        Plot.ruleY([0]),
        Plot.lineY(rows, { x: "from", y: "discomfort", stroke: "currentColor", strokeOpacity: 0.6 }),
        Plot.dot(rows, { x: "from", y: "discomfort", fill: "currentColor", r: 3, title: "title" }),
      ],
    },
    text,
  );
}

/** Mean before and after each session, per measure, as arrows from before to after. */
export function renderChangeChart(changes: readonly MeasureChange[], text: ChartText): string {
  return drawOnce("change", [changes, text], () => drawChangeChart(changes, text));
}

function drawChangeChart(changes: readonly MeasureChange[], text: ChartText): string {
  const label = (m: Measure) => MEASURE_TEXT[m].charAt(0).toUpperCase() + MEASURE_TEXT[m].slice(1);
  const rows = changes.map((c) => ({
    measure: label(c.measure),
    before: c.meanBefore,
    after: c.meanAfter,
    title: `${label(c.measure)}: ${c.meanBefore} before, ${c.meanAfter} after on average (${c.count} ${c.count === 1 ? "session" : "sessions"})`,
  }));
  return render(
    {
      width: 420,
      height: 220,
      marginLeft: 118,
      marginBottom: 40,
      x: { label: "Average rating (0–10): hollow dot before, arrow head after", domain: [0, 10], grid: true },
      y: { label: null, domain: rows.map((r) => r.measure) },
      marks: [
        Plot.arrow(rows, {
          y: "measure",
          x1: "before",
          x2: "after",
          stroke: "currentColor",
          strokeWidth: 2,
          headLength: 8,
          title: "title",
        }),
        Plot.dot(rows, { y: "measure", x: "before", stroke: "currentColor", fill: "none", r: 5, title: "title" }),
      ],
    },
    text,
  );
}
