import { describe, expect, it } from "vitest";
import { formatAmount, formatCount, formatNumber, NOUNS } from "./format";

describe("the number and plural formatter (issue 24 item 8)", () => {
  it.each([
    [1, "1"],
    [1.25, "1.3"],
    [1.0, "1"],
    [1000, "1,000"],
    [-0.5, "-0.5"],
  ])("formatNumber(%s) is %j", (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });

  it.each([
    [1, NOUNS.point, "1 point"],
    [2, NOUNS.point, "2 points"],
    [1.5, NOUNS.point, "1.5 points"],
    [1, NOUNS.measuredDay, "1 measured day"],
    [0, NOUNS.day, "0 days"],
    [1, NOUNS.day, "1 day"],
  ])("formatCount(%s) says %j", (n, noun, text) => {
    expect(formatCount(n, noun)).toBe(text);
  });

  it("says amounts on either scale", () => {
    expect(formatAmount(1, "points")).toBe("1 point");
    expect(formatAmount(20, "minutes")).toBe("20 minutes");
    expect(formatAmount(1, "minutes")).toBe("1 minute");
  });
});
