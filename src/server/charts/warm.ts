/**
 * Practice drawings at start-up (issue 27 item 4). The first chart a process draws with Observable
 * Plot over linkedom runs code V8 has not compiled yet: about 75 ms on the first view of an
 * experiment after a start, against 10–14 ms for the next drawing. `matwise serve` draws each kind
 * of chart once with made-up data before it says it is running; nothing drawn is kept.
 * @module
 */
import { renderMeansChart, renderSeriesChart } from "./experiments";
import { drawWithoutKeeping } from "./memo";
import { renderChangeChart, renderDiscomfortChart } from "./sessions";

/** Draws the series, means, discomfort and change charts once each; returns how long it took in ms. */
export function warmChartCode(): number {
  const started = performance.now();
  const text = { label: "A practice chart", description: "Drawn once at start-up and not kept." };
  const conditions = ["With the mat", "Without the mat"];
  const scale = { min: 0, max: 10, label: "Pain (0–10)" };
  drawWithoutKeeping(() => {
    const points = Array.from({ length: 28 }, (_, i) => ({
      day: i + 1,
      value: (i * 7) % 11,
      condition: conditions[i % 2]!,
    }));
    renderSeriesChart(points, scale, text, conditions);
    renderMeansChart(
      conditions.map((condition, i) => ({ condition, mean: 4 + i })),
      scale,
      text,
    );
    const from = (i: number) => `2026-01-${String(i + 1).padStart(2, "0")}`;
    renderDiscomfortChart(
      {
        unit: "session",
        points: Array.from({ length: 12 }, (_, i) => ({ from: from(i), discomfort: i % 9, count: 1 })),
      },
      text,
    );
    renderChangeChart([{ measure: "pain", count: 5, meanBefore: 5, meanAfter: 4, meanChange: -1 }], text);
  });
  return performance.now() - started;
}
