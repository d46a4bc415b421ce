import { describe, expect, it, vi } from "vitest";
import { CHART_CACHE_ENTRIES, drawOnce, keptDrawings } from "./memo";

describe("drawOnce", () => {
  it("draws the same data once, and changed data again", () => {
    const draw = vi.fn((n: number) => `<svg>${n}</svg>`);
    const chart = (points: number[]) => drawOnce("test", { points }, () => draw(points.length));
    expect(chart([1, 2])).toBe("<svg>2</svg>");
    expect(chart([1, 2])).toBe("<svg>2</svg>");
    expect(draw).toHaveBeenCalledTimes(1);
    expect(chart([1, 2, 3])).toBe("<svg>3</svg>");
    expect(draw).toHaveBeenCalledTimes(2);
    // The same inputs under another kind of chart are another drawing.
    expect(drawOnce("other", { points: [1, 2] }, () => "<svg>other</svg>")).toBe("<svg>other</svg>");
  });

  it("keeps at most CHART_CACHE_ENTRIES drawings, dropping the least recently used", () => {
    for (let i = 0; i < CHART_CACHE_ENTRIES + 50; i++) drawOnce("bulk", i, () => `<svg>${i}</svg>`);
    expect(keptDrawings()).toBe(CHART_CACHE_ENTRIES);
    const again = vi.fn(() => "<svg>0</svg>");
    drawOnce("bulk", 0, again);
    expect(again).toHaveBeenCalledTimes(1); // the oldest was dropped
  });
});
