import { describe, expect, it } from "vitest";
import { FeedbackSchema } from "./feedback";

describe("feedback", () => {
  it.each([
    // path, accepted?
    ["/guides/acupressure-mat-safety", true],
    ["/guides/acupressure-mat-safety#dosage", true],
    ["/", true],
    ["//evil.example/x", false],
    ["/\\evil.example", false],
    ["https://evil.example/", false],
  ])("path %j accepted: %s", (path, ok) => {
    expect(FeedbackSchema.safeParse({ path, kind: "other", message: "A few words." }).success).toBe(ok);
  });
});
