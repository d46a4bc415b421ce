import { describe, expect, it } from "vitest";
import { createSessionFormSchema, getSessionFormValues } from "./schema";

const now = new Date("2026-12-01T12:00:00Z");
const schema = createSessionFormSchema(["shakti-original", "spoonk"], now);
const good = {
  startedAt: "2026-12-01T08:30",
  minutes: "10",
  seconds: "0",
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: "spoonk",
  note: "",
  discomfort: "6",
  painBefore: "4",
  painAfter: "3",
  tensionBefore: "7",
  tensionAfter: "5",
  stressBefore: "6",
  stressAfter: "4",
  relaxationBefore: "3",
  relaxationAfter: "6",
};

describe("createSessionFormSchema", () => {
  it("reads a good form", () => {
    const v = schema.parse(good);
    expect(v).toMatchObject({ startedAt: "2026-12-01T08:30:00.000Z", durationSeconds: 600, matId: "spoonk", note: null, discomfort: 6, relaxationAfter: 6 });
    expect(getSessionFormValues(v)).toMatchObject({ startedAt: "2026-12-01T08:30", minutes: "10", seconds: "0", discomfort: "6" });
  });

  it.each([
    // field changes → the field that gets a message, and part of it
    [{ discomfort: "11" }, "discomfort", "whole number from 0 to 10"], // out of range
    [{ painAfter: "-1" }, "painAfter", "whole number from 0 to 10"],
    [{ stressBefore: "" }, "stressBefore", "Give stress before a number"], // missing
    [{ tensionAfter: undefined }, "tensionAfter", "Give muscle tension after a number"], // not sent at all
    [{ relaxationAfter: "4.5" }, "relaxationAfter", "whole number"],
    [{ relaxationBefore: ["3", "4"] }, "relaxationBefore", "single number"], // sent twice
    [{ minutes: "0", seconds: "0" }, "minutes", "at least one second"],
    [{ minutes: "181" }, "minutes", "from 0 to 180"],
    [{ seconds: "60" }, "seconds", "from 0 to 59"],
    [{ position: "upside-down" }, "position", "Choose how you were"],
    [{ matId: "unknown-mat" }, "matId", "Choose a mat from the list"],
    [{ startedAt: "yesterday" }, "startedAt", "date and time"],
    [{ startedAt: "2026-12-02T08:00" }, "startedAt", "future"],
    [{ note: "x".repeat(1001) }, "note", "1,000"],
  ])("refuses %o at %s", (change, field, message) => {
    const r = schema.safeParse({ ...good, ...change });
    expect(r.success).toBe(false);
    const issues = r.error?.issues.filter((i) => i.path.join(".") === field) ?? [];
    expect(issues.map((i) => i.message).join(" ")).toContain(message);
  });

  it("lists every bad rating at once", () => {
    const r = schema.safeParse({ ...good, discomfort: "12", painBefore: "", stressAfter: "x" });
    expect(new Set(r.error?.issues.map((i) => i.path[0]))).toEqual(new Set(["discomfort", "painBefore", "stressAfter"]));
  });

  it.each([
    ["2026-12-01T08:30:15Z", "2026-12-01T08:30:15.000Z"], // timer start with a zone
    ["2026-12-01T09:30:00+01:00", "2026-12-01T08:30:00.000Z"],
    ["2026-12-01T08:30", "2026-12-01T08:30:00.000Z"], // form field: read as UTC
  ])("reads the start %s as %s", (startedAt, want) => {
    expect(schema.parse({ ...good, startedAt }).startedAt).toBe(want);
  });

  it("accepts an empty mat and a blank seconds field", () => {
    expect(schema.parse({ ...good, matId: "", seconds: "" })).toMatchObject({ matId: null, durationSeconds: 600 });
  });
});
