import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { summarizeChanges, summarizeDiscomfort } from "../../core/sessions/summary";
import { renderChangeChart, renderDiscomfortChart } from "./sessions";

const sessions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({
  startedAt: `2026-12-0${d}T08:00:00.000Z`,
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

function svgOf(html: string) {
  const { document } = parseHTML(`<html><body>${html}</body></html>`);
  const svg = document.querySelector("svg");
  if (!svg) throw new Error("no svg");
  return svg;
}

describe("session charts", () => {
  it.each([
    ["discomfort", () => renderDiscomfortChart(summarizeDiscomfort(sessions).points, { label: "Discomfort across sessions", description: summarizeDiscomfort(sessions).sentence }), 7],
    ["before and after", () => renderChangeChart(summarizeChanges(sessions).changes, { label: "Changes from before to after", description: summarizeChanges(sessions).sentence }), 4],
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
