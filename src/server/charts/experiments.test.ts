import { describe, expect, it } from "vitest";
import { renderSeriesChart, seriesLegend, SERIES_MARKS } from "./experiments";

const conditions = ["With the mat", "Lying still without the mat"];
const scale = { min: 0, max: 10, label: "Pain (0–10)" };
const text = { label: "Chart", description: "Days" };

/** The stroke of every mark drawn for the points of one condition. */
function strokesOf(condition: string): string[] {
  const svg = renderSeriesChart(
    [1, 2, 3].map((day) => ({ day, value: day, condition })),
    scale,
    text,
    conditions,
  );
  return [...svg.matchAll(/<path[^>]*stroke="([^"]+)"[^>]*>\s*<title>Day/g)].map((m) => m[1]!);
}

describe("the series chart's legend (issue 24 item 8)", () => {
  it("draws the mat days with the first marks and the other days with the second, whatever the names sort to", () => {
    expect(new Set(strokesOf("With the mat"))).toEqual(new Set([SERIES_MARKS[0].color]));
    expect(new Set(strokesOf("Lying still without the mat"))).toEqual(new Set([SERIES_MARKS[1].color]));
  });

  it("says in words what the marks are, from the same list", () => {
    expect(seriesLegend(conditions)).toBe("dark circles: with the mat; grey plus signs: lying still without the mat");
  });

  it("writes the axes without long decimals", () => {
    const svg = renderSeriesChart(
      [{ day: 1, value: 1, condition: "With the mat" }],
      { min: 0, max: 1, label: "x" },
      text,
      conditions,
    );
    const labels = [...svg.matchAll(/>([^<>]*)<\/text>/g)].map((m) => m[1]!);
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.filter((l) => /\d\.\d{2,}/.test(l))).toEqual([]);
  });
});
