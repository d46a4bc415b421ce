import { describe, expect, it } from "vitest";
import { daysBetween, getLocalDate } from "../datetime";
import { adherenceCells, countParticipants, flowLines, statusOf, summarizeCells, type ParticipantRow } from "./monitor";

const now = new Date("2026-11-30T12:00:00Z");
const exp = (codes: string, startsOn = "2026-11-20", last: string | null = "2026-11-29T19:00:00Z", running = true) => ({
  startsOn,
  timeZone: "UTC",
  running,
  days: codes.length,
  codes,
  lastActivity: last,
});
const row = (
  pseudonym: string,
  state: ParticipantRow["state"],
  experiment: ParticipantRow["experiment"] = null,
  analysed = false,
  exclusionReason: string | null = null,
): ParticipantRow => ({ pseudonym, state, exclusionReason, experiment, analysed });

describe("statusOf", () => {
  it.each([
    [row("P1", "consented"), "awaiting-eligibility"],
    [row("P2", "excluded"), "excluded"],
    [row("P3", "withdrawn", exp("aa")), "withdrawn"],
    [row("P4", "enrolled", exp("a".repeat(20))), "active"],
    [row("P5", "enrolled", exp("a".repeat(20), "2026-11-20", "2026-11-26T19:00:00Z")), "inactive"],
    [row("P6", "enrolled", exp("a".repeat(5))), "completed"],
    [row("P7", "enrolled", exp("a".repeat(20), "2026-11-20", null, false)), "completed"],
    [row("P8", "enrolled", exp("-".repeat(20), "2026-12-02", null)), "not-started"],
    [row("P9", "enrolled", exp("-".repeat(20), "2026-11-25", null)), "inactive"],
  ] as const)("%o is %s", (r, status) => {
    expect(statusOf(r, now)).toBe(status);
  });
});

describe("active or inactive, by the last check-in's date where the person lives", () => {
  // The date of a check-in is asked of the person's zone only near the limit (a zone is less than a day from UTC):
  // every hour of six days before `now`, in the zones furthest from UTC and with odd offsets, against asking always.
  const zones = [
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "UTC",
  ];
  it.each(zones)("in %s, one at a time and counted together", (timeZone) => {
    const rows: ParticipantRow[] = [];
    const expected = { active: 0, inactive: 0 };
    for (let h = 0; h <= 6 * 24; h++) {
      const last = new Date(now.getTime() - h * 3_600_000).toISOString();
      const e = { ...exp("a".repeat(30), "2026-11-15", last), timeZone };
      const today = getLocalDate(now, timeZone);
      const status = daysBetween(getLocalDate(new Date(last), timeZone), today) > 3 ? "inactive" : "active";
      expected[status]++;
      const r = row(`P${h}`, "enrolled", e);
      expect(statusOf(r, now), last).toBe(status);
      rows.push(r);
    }
    expect(expected.active * expected.inactive).toBeGreaterThan(0);
    expect(countParticipants(rows, { withdrawnDeleted: 0, unusedInvitations: 0 }, now)).toMatchObject(expected);
  });
});

describe("adherence", () => {
  it("marks a day missed only once its check-in can no longer be given", () => {
    const cells = adherenceCells(exp("aosr------", "2026-11-24"), now);
    expect(cells).toEqual([
      "as-assigned",
      "other-condition",
      "skipped",
      "rest",
      "missed",
      "open",
      "open",
      "future",
      "future",
      "future",
    ]);
    expect(summarizeCells(cells)).toEqual({ asAssigned: 1, other: 1, skipped: 1, missed: 1, due: 4 });
  });
});

describe("counts and flow", () => {
  it("counts every stage, with deleted withdrawals as a number only", () => {
    const rows = [
      row("P001", "enrolled", exp("a".repeat(20)), true),
      row("P002", "excluded", null, false, "Screening: x"),
      row("P003", "excluded", null, false, "Screening: x"),
      row("P004", "withdrawn", exp("aa")),
      row("P005", "consented"),
    ];
    const c = countParticipants(rows, { withdrawnDeleted: 2, unusedInvitations: 3 }, now);
    expect(c).toMatchObject({
      invited: 10,
      consented: 7,
      awaitingEligibility: 1,
      excluded: 2,
      started: 4,
      active: 1,
      withdrawn: 3,
      withdrawnKept: 1,
      withdrawnDeleted: 2,
      analysed: 1,
      notAnalysed: 1,
    });
    expect(c.exclusionReasons).toEqual([{ reason: "Screening: x", n: 2 }]);
    const flow = flowLines(c).map((l) => `${l.box} | ${l.side ?? ""}`);
    expect(flow[2]).toBe("Assessed for eligibility: 6 | Excluded: 2 (Screening: x (2))");
    expect(flow[5]).toBe("In the pooled analysis: 1 | Not analysed (analysis not complete or data deleted): 3");
  });
});
