import { describe, expect, it } from "vitest";
import { experimentTitle } from "./labels";
import type { ImportedProtocol, Protocol } from "./protocol";

const designed = { primaryOutcome: "pain", comparator: "rest-without-mat" } as Protocol;

describe("experimentTitle", () => {
  it.each([
    ["designed, against lying still", designed, "Pain: the mat against lying still without it"],
    ["designed, against no session", { ...designed, comparator: "no-session" }, "Pain: the mat against no session"],
    [
      "imported",
      { source: "import", primaryOutcome: "sleepQuality", fileName: "diary.csv" } as ImportedProtocol,
      "Sleep quality: brought in from diary.csv",
    ],
  ] as const)("%s", (_, protocol, title) => {
    expect(experimentTitle(protocol)).toBe(title);
  });
});
