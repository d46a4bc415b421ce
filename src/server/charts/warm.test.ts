import { describe, expect, it } from "vitest";
import { drawOnce, drawWithoutKeeping, keptDrawings } from "./memo";
import { warmChartCode } from "./warm";

describe("practice drawings", () => {
  it("draws every kind of chart without keeping any", () => {
    const before = keptDrawings();
    expect(warmChartCode()).toBeGreaterThan(0);
    expect(keptDrawings()).toBe(before);
  });

  it("keeps drawings again after the practice, even when a practice drawing throws", () => {
    expect(() =>
      drawWithoutKeeping(() => {
        throw new Error("bad data");
      }),
    ).toThrow("bad data");
    const before = keptDrawings();
    drawOnce("after-practice", 1, () => "<svg></svg>");
    expect(keptDrawings()).toBe(before + 1);
  });
});
