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
    expect(v).toMatchObject({
      startedAt: "2026-12-01T08:30:00.000Z",
      durationSeconds: 600,
      matId: "spoonk",
      note: null,
      discomfort: 6,
      relaxationAfter: 6,
    });
    expect(getSessionFormValues(v)).toMatchObject({
      startedAt: "2026-12-01T08:30",
      minutes: "10",
      seconds: "0",
      discomfort: "6",
    });
  });

  it.each([
    // field changes → the field that gets a message, and part of it
    [{ discomfort: "11" }, "discomfort", "whole number from 0 to 10"], // out of range
    [{ painAfter: "-1" }, "painAfter", "whole number from 0 to 10"],
    [{ discomfort: "" }, "discomfort", "Give discomfort on the mat a number"], // the one required rating, missing
    [{ discomfort: undefined }, "discomfort", "Give discomfort on the mat a number"], // not sent at all
    [{ stressBefore: "11" }, "stressBefore", "whole number from 0 to 10, or left out"],
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
    const r = schema.safeParse({ ...good, discomfort: "12", painBefore: "-3", stressAfter: "x" });
    expect(new Set(r.error?.issues.map((i) => i.path[0]))).toEqual(
      new Set(["discomfort", "painBefore", "stressAfter"]),
    );
  });

  it("takes a session with discomfort alone: every other rating may be skipped", () => {
    const only = {
      ...good,
      painBefore: "",
      painAfter: "",
      tensionBefore: undefined,
      tensionAfter: undefined,
      stressBefore: "",
      stressAfter: " ",
      relaxationBefore: undefined,
      relaxationAfter: "",
    };
    const v = schema.parse(only);
    expect(v).toMatchObject({
      discomfort: 6,
      painBefore: null,
      painAfter: null,
      tensionBefore: null,
      tensionAfter: null,
      stressBefore: null,
      stressAfter: null,
      relaxationBefore: null,
      relaxationAfter: null,
    });
    expect(getSessionFormValues(v)).toMatchObject({ discomfort: "6", painBefore: "", relaxationAfter: "" });
  });

  it.each([
    ["2026-12-01T08:30:15Z", "2026-12-01T08:30:15.000Z"], // timer start with a zone
    ["2026-12-01T09:30:00+01:00", "2026-12-01T08:30:00.000Z"],
    ["2026-12-01T08:30", "2026-12-01T08:30:00.000Z"], // form field of a person on UTC
  ])("reads the start %s as %s", (startedAt, want) => {
    expect(schema.parse({ ...good, startedAt }).startedAt).toBe(want);
  });

  it.each([
    // a person's zone, what they typed, the instant stored, and what the edit form shows them again
    ["America/New_York", "2026-11-30T21:30", "2026-12-01T02:30:00.000Z"], // 21:30 in New York is the next day in UTC
    ["Pacific/Auckland", "2026-12-01T08:30", "2026-11-30T19:30:00.000Z"], // Auckland's morning is the previous evening in UTC
    ["UTC", "2026-12-01T08:30", "2026-12-01T08:30:00.000Z"],
  ])("reads a start typed in %s (%s) as %s and shows it back the same", (zone, typed, stored) => {
    const local = createSessionFormSchema(["spoonk"], now, zone).parse({ ...good, startedAt: typed });
    expect(local.startedAt).toBe(stored);
    expect(getSessionFormValues(local, zone).startedAt).toBe(typed);
  });

  it("judges 'in the future' by the instant, not the wall time", () => {
    // 23:30 on 1 December in New York is 04:30 UTC on the 2nd: after `now` (12:00 UTC on the 1st).
    const r = createSessionFormSchema([], now, "America/New_York").safeParse({
      ...good,
      matId: "",
      startedAt: "2026-12-01T23:30",
    });
    expect(r.error?.issues.map((i) => i.message).join(" ")).toContain("future");
    // 06:30 on 2 December in Auckland is 17:30 UTC on the 1st: also after now.
    expect(
      createSessionFormSchema([], now, "Pacific/Auckland").safeParse({
        ...good,
        matId: "",
        startedAt: "2026-12-02T06:30",
      }).success,
    ).toBe(false);
    // 00:30 on 2 December in Auckland is 11:30 UTC on the 1st: already past.
    expect(
      createSessionFormSchema([], now, "Pacific/Auckland").safeParse({
        ...good,
        matId: "",
        startedAt: "2026-12-02T00:30",
      }).success,
    ).toBe(true);
  });

  it("accepts an empty mat and a blank seconds field", () => {
    expect(schema.parse({ ...good, matId: "", seconds: "" })).toMatchObject({ matId: null, durationSeconds: 600 });
  });
});
