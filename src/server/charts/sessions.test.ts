import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { binDiscomfort, describeChanges, describeDiscomfort, tallySessions } from "../../core/sessions/summary";
import { renderChangeChart, renderDiscomfortChart } from "./sessions";

const sessions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({
  startedAt: `2026-12-0${d}T08:00:00.000Z`,
  durationSeconds: 600,
  discomfort: 9 - d,
  painBefore: 5,
  painAfter: 4,
  tensionBefore: 6,
  tensionAfter: 4,
  stressBefore: 5,
  stressAfter: 5,
  relaxationBefore: 3,
  relaxationAfter: 6,
}));

const tally = tallySessions(sessions, "UTC");

function svgOf(html: string) {
  const { document } = parseHTML(`<html><body>${html}</body></html>`);
  const svg = document.querySelector("svg");
  if (!svg) throw new Error("no svg");
  return svg;
}

describe("session charts", () => {
  it.each([
    [
      "discomfort",
      () =>
        renderDiscomfortChart(binDiscomfort(tally), {
          label: "Discomfort across sessions",
          description: describeDiscomfort(tally),
        }),
      7,
    ],
    [
      "before and after",
      () =>
        renderChangeChart(describeChanges(tally).changes, {
          label: "Changes from before to after",
          description: describeChanges(tally).sentence,
        }),
      4,
    ],
  ])("%s: an SVG image with a name, a description and a title per point", (_name, draw, points) => {
    const svg = svgOf(draw());
    expect(svg.getAttribute("role")).toBe("img");
    expect(svg.getAttribute("aria-label")).toMatch(/across sessions|before to after/);
    expect(svg.getAttribute("aria-description") ?? svg.querySelector("desc")?.textContent ?? "").toMatch(/out of 10/);
    expect(svg.querySelectorAll("title").length).toBeGreaterThanOrEqual(points);
    expect(svg.getAttribute("width")).toBeNull(); // scales to its container
    expect(svg.outerHTML).not.toMatch(/<script/i);
    expect(svg.querySelectorAll("[aria-label]")).toHaveLength(0); // only the image itself is named
  });
});

/** `n` sessions, one every eight hours up to 1 December 2026, with discomfort falling then steady. */
function history(n: number) {
  const end = Date.parse("2026-12-01T08:00:00Z");
  return Array.from({ length: n }, (_, i) => ({
    ...sessions[0]!,
    startedAt: new Date(end - (n - i) * 8 * 3_600_000).toISOString(),
    discomfort: Math.max(2, 8 - Math.floor(i / 20)),
  }));
}

describe("the discomfort chart of a long history", () => {
  it.each([
    [400, "week", 20],
    [2_300, "month", 27],
  ])("%i sessions are drawn as a point a %s (%i points), each titled with its mean and count", (n, unit, bins) => {
    const series = binDiscomfort(tallySessions(history(n), "Europe/Berlin"));
    expect(series.unit).toBe(unit);
    expect(series.points).toHaveLength(bins);
    expect(series.points.reduce((a, p) => a + p.count, 0)).toBe(n);
    const svg = svgOf(renderDiscomfortChart(series, { label: "Discomfort across sessions", description: "out of 10" }));
    expect(svg.querySelectorAll("circle")).toHaveLength(bins);
    expect(svg.querySelector("title")?.textContent).toMatch(
      /^(Week|Month) of .+: discomfort [\d.]+ out of 10 on average over \d+ sessions$/,
    );
  });

  it("stays the same size whatever the count", () => {
    const size = (n: number) =>
      renderDiscomfortChart(binDiscomfort(tallySessions(history(n), "UTC")), {
        label: "Discomfort",
        description: "out of 10",
      }).length;
    expect(size(2_300)).toBeLessThan(size(60) * 1.5);
    expect(size(10_000)).toBeLessThan(size(60) * 2.5);
  });
});
