import { describe, expect, it } from "vitest";
import {
  binDiscomfort,
  describeChanges,
  describeDiscomfort,
  MAX_SESSION_POINTS,
  tallySessions,
  type SessionRatings,
} from "./summary";

const summarizeChanges = (sessions: readonly SessionRatings[]) => describeChanges(tallySessions(sessions, "UTC"));

const session = (day: number, discomfort: number, over: Partial<Record<string, number | null>> = {}) => ({
  startedAt: `2026-12-${String(day).padStart(2, "0")}T08:00:00.000Z`,
  durationSeconds: 600,
  discomfort,
  painBefore: 5,
  painAfter: 4,
  tensionBefore: 6,
  tensionAfter: 4,
  stressBefore: 5,
  stressAfter: 5,
  relaxationBefore: 3,
  relaxationAfter: 6,
  ...over,
});

describe("describeDiscomfort", () => {
  it.each([
    [[], "No sessions yet"],
    [[session(1, 7)], "One session so far, with discomfort on the mat rated 7 out of 10."],
    [
      [session(2, 4), session(1, 7)],
      "Over 2 sessions, discomfort on the mat went from 7 in the first to 4 out of 10 in the latest, lower than at the start.",
    ], // sorted by time
    [[session(1, 3), session(2, 5)], "from 3 in the first to 5 out of 10 in the latest, higher than at the start"],
    [[session(1, 5), session(2, 5)], "the same as at the start"],
    [
      [1, 2, 3, 4, 5, 6, 7].map((d) => session(d, 9 - d)),
      "Over 7 sessions, discomfort on the mat averaged 7 out of 10 in the first three and 3 in the latest three: 4 points lower.",
    ],
    [[1, 2, 3, 4, 5, 6].map((d) => session(d, 5)), "5 in the latest three: about the same."],
    [
      [session(1, 2), session(2, 2), session(3, 3), session(4, 3), session(5, 3), session(6, 4)],
      "2.3 out of 10 in the first three and 3.3 in the latest three: 1 point higher",
    ],
  ])("%#: %s", (sessions, want) => {
    const t = tallySessions(sessions, "UTC");
    expect(describeDiscomfort(t)).toContain(want);
    expect(t.latest.map((p) => p.startedAt)).toEqual(sessions.map((s) => s.startedAt).sort());
  });
});

describe("summarizeChanges", () => {
  it("reports the mean change per measure without claiming a cause", () => {
    const s = summarizeChanges([session(1, 5), session(2, 5, { painAfter: 2 })]);
    expect(s.changes.find((c) => c.measure === "pain")).toEqual({
      measure: "pain",
      count: 2,
      meanBefore: 5,
      meanAfter: 3,
      meanChange: -2,
    });
    expect(s.sentence).toBe(
      "On average over 2 sessions, from before to after, pain fell by 2, muscle tension fell by 2, stress stayed the same and relaxation rose by 3 (points out of 10).",
    );
    expect(s.sentence).not.toMatch(/because|caused|thanks to/);
  });

  it.each([
    [[], "No sessions yet, so there are no changes to show."],
    [[session(1, 5)], "In your one session, from before to after"],
    // Skipped ratings: a feeling counts only in sessions rated both before and after.
    [
      [session(1, 5), session(2, 5, { painBefore: null })],
      "On average over the sessions rated before and after, from before to after, pain fell by 1 (1 session), muscle tension fell by 2 (2 sessions)",
    ],
    [
      [session(1, 5, { painBefore: null, tensionBefore: null, stressBefore: null, relaxationBefore: null })],
      "No session has a rating both before and after yet",
    ],
    [
      [session(1, 5), session(2, 5, { painAfter: null, tensionAfter: null, stressAfter: null, relaxationAfter: null })],
      "In the one session rated before and after",
    ],
    [
      [
        session(1, 5),
        session(2, 5),
        session(3, 5, { painAfter: null, tensionAfter: null, stressAfter: null, relaxationAfter: null }),
      ],
      "On average over the 2 sessions rated before and after",
    ],
  ])("%#", (sessions, want) => expect(summarizeChanges(sessions).sentence).toContain(want));

  it("leaves out a feeling never rated both before and after", () => {
    const s = summarizeChanges([session(1, 5, { stressBefore: null }), session(2, 4, { stressAfter: null })]);
    expect(s.changes.map((c) => c.measure)).toEqual(["pain", "tension", "relaxation"]);
    expect(s.sentence).toBe(
      "On average over 2 sessions, from before to after, pain fell by 1, muscle tension fell by 2 and relaxation rose by 3 (points out of 10).",
    );
  });
});

describe("binDiscomfort", () => {
  const at = (startedAt: string, discomfort: number) => ({ ...session(1, discomfort), startedAt });

  it("keeps each session while there are few, on the person's own day", () => {
    const t = tallySessions([at("2026-12-06T23:30:00.000Z", 6), at("2026-12-07T08:00:00.000Z", 5)], "Europe/Berlin");
    expect(binDiscomfort(t)).toEqual({
      unit: "session",
      points: [
        { from: "2026-12-07", discomfort: 6, count: 1 },
        { from: "2026-12-07", discomfort: 5, count: 1 },
      ],
    });
    expect(t.days).toEqual([{ day: "2026-12-07", count: 2, discomfortSum: 11 }]);
  });

  it("averages per week, Monday to Sunday on the person's clock, once there are more than the chart draws one by one", () => {
    // Three sessions a day from Sunday 6 December; the first, at 23:30 UTC, is already Monday in Berlin.
    const sessions = Array.from({ length: MAX_SESSION_POINTS + 3 }, (_, i) =>
      at(new Date(Date.parse("2026-12-06T23:30:00Z") + i * 8 * 3_600_000).toISOString(), i < 21 ? 6 : 3),
    );
    const berlin = binDiscomfort(tallySessions(sessions, "Europe/Berlin"));
    expect(berlin.unit).toBe("week");
    expect(berlin.points.map((p) => [p.from, p.count, p.discomfort])).toEqual([
      ["2026-12-07", 21, 6],
      ["2026-12-14", 21, 3],
      ["2026-12-21", 21, 3],
    ]);
    const utc = binDiscomfort(tallySessions(sessions, "UTC"));
    expect(utc.points.map((p) => [p.from, p.count])).toEqual([
      ["2026-11-30", 1],
      ["2026-12-07", 21],
      ["2026-12-14", 21],
      ["2026-12-21", 20],
    ]);
    expect(utc.points[1]?.discomfort).toBe(5.9); // 20 sessions at 6 and one at 3: 123 / 21
  });

  it("averages per month when weeks would be too many", () => {
    const sessions = Array.from({ length: 800 }, (_, i) =>
      at(new Date(Date.parse("2025-01-01T12:00:00Z") + i * 86_400_000).toISOString(), 4),
    );
    const s = binDiscomfort(tallySessions(sessions, "UTC"));
    expect(s.unit).toBe("month");
    expect(s.points[0]).toEqual({ from: "2025-01-01", discomfort: 4, count: 31 });
    expect(s.points).toHaveLength(27);
  });

  it("draws weeks when the latest sessions kept are fewer than all of them", () => {
    const sessions = Array.from({ length: 10 }, (_, i) =>
      at(new Date(Date.parse("2026-01-01T12:00:00Z") + i * 86_400_000).toISOString(), 4),
    );
    expect(binDiscomfort(tallySessions(sessions, "UTC", 5)).unit).toBe("week");
  });
});
