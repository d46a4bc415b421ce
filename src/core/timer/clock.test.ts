import { describe, expect, it } from "vitest";
import {
  createTimer,
  describeDuration,
  formatCountdown,
  getElapsedMs,
  getIntervalMs,
  getRemainingMs,
  getSessionSeconds,
  pauseTimer,
  resumeTimer,
  startTimer,
  stopTimer,
  updateTimer,
  type ClockReading,
  type TimerState,
} from "./clock";

/**
 * A fake pair of clocks. `advance` moves both (a normal or a throttled tab: no ticks need to run);
 * `suspend` moves only the wall clock, as when the device sleeps and the monotonic clock stands still.
 */
function createFakeClock(start = { mono: 1_000, wall: Date.parse("2026-12-01T08:00:00Z") }) {
  let now: ClockReading = { ...start };
  return {
    read: (): ClockReading => ({ ...now }),
    advance(ms: number) {
      now = { mono: now.mono + ms, wall: now.wall + ms };
    },
    suspend(ms: number) {
      now = { mono: now.mono, wall: now.wall + ms };
    },
    setWall(ms: number) {
      now = { ...now, wall: now.wall + ms };
    },
  };
}

const MIN = 60_000;

describe("timer from time stamps", () => {
  it("counts down from the stamps, with no ticks in between", () => {
    const clock = createFakeClock();
    let t = startTimer(createTimer(10 * MIN), clock.read());
    clock.advance(3 * MIN + 500);
    expect(getElapsedMs(t, clock.read())).toBe(3 * MIN + 500);
    expect(formatCountdown(getRemainingMs(t, clock.read()))).toBe("7:00"); // 6:59.5 left, shown rounded up
    t = updateTimer(t, clock.read());
    expect(t.status).toBe("running");
  });

  it("a sleeping (throttled) tab that ticks once, long after the end, finishes with exactly the planned time", () => {
    const clock = createFakeClock();
    let t = startTimer(createTimer(5 * MIN), clock.read());
    clock.advance(30 * MIN); // the tab slept: not one tick ran
    t = updateTimer(t, clock.read());
    expect(t.status).toBe("finished");
    expect(t.stoppedEarly).toBe(false);
    expect(getSessionSeconds(t, clock.read())).toBe(300);
  });

  it("a device that sleeps (monotonic clock stopped) still ends on time, from the wall clock", () => {
    const clock = createFakeClock();
    let t = startTimer(createTimer(5 * MIN), clock.read());
    clock.advance(1 * MIN);
    clock.suspend(10 * MIN);
    t = updateTimer(t, clock.read());
    expect(t.status).toBe("finished");
  });

  it("a wall clock set back does not stretch the session", () => {
    const clock = createFakeClock();
    let t = startTimer(createTimer(5 * MIN), clock.read());
    clock.setWall(-60 * MIN);
    clock.advance(5 * MIN);
    t = updateTimer(t, clock.read());
    expect(t.status).toBe("finished");
  });

  it.each([
    // pauses as [run ms, pause ms] pairs, then the elapsed time expected
    [[[60_000, 30_000]], 60_000],
    [
      [
        [10_000, 5 * MIN],
        [20_000, 1_000],
      ],
      30_000,
    ], // a long pause does not count
    [
      [
        [1_000, 0],
        [1_000, 0],
        [1_000, 0],
      ],
      3_000,
    ],
  ] as const)("pause and resume: %j → %i ms on the mat", (runs, want) => {
    const clock = createFakeClock();
    let t: TimerState = startTimer(createTimer(10 * MIN), clock.read());
    for (const [run, pause] of runs) {
      clock.advance(run);
      t = pauseTimer(t, clock.read());
      expect(t.status).toBe("paused");
      clock.advance(pause);
      expect(getElapsedMs(t, clock.read())).toBe(t.bankedMs); // paused time does not count
      t = resumeTimer(t, clock.read());
    }
    expect(getElapsedMs(t, clock.read())).toBe(want);
  });

  it("pausing after the end finishes instead", () => {
    const clock = createFakeClock();
    let t = startTimer(createTimer(MIN), clock.read());
    clock.advance(2 * MIN);
    t = pauseTimer(t, clock.read());
    expect(t.status).toBe("finished");
    expect(t.bankedMs).toBe(MIN);
  });

  it("stopping early keeps the time so far", () => {
    const clock = createFakeClock();
    let t = startTimer(createTimer(10 * MIN), clock.read());
    clock.advance(95_400);
    t = stopTimer(t, clock.read());
    expect(t).toMatchObject({ status: "finished", stoppedEarly: true, bankedMs: 95_400 });
    expect(getSessionSeconds(t, clock.read())).toBe(95);
    clock.advance(MIN);
    expect(getElapsedMs(t, clock.read())).toBe(95_400);
  });

  it("records the wall-clock start for the log", () => {
    const clock = createFakeClock();
    const t = startTimer(createTimer(MIN), clock.read());
    expect(new Date(t.startedAtWall!).toISOString()).toBe("2026-12-01T08:00:00.000Z");
  });

  it.each([
    ["resume a ready timer", (t: TimerState, c: ClockReading) => resumeTimer(t, c)],
    ["pause a ready timer", (t: TimerState, c: ClockReading) => pauseTimer(t, c)],
    ["stop a ready timer", (t: TimerState, c: ClockReading) => stopTimer(t, c)],
  ])("ignores a wrong step: %s", (_name, step) => {
    const t = createTimer(MIN);
    expect(step(t, { mono: 0, wall: 0 })).toBe(t);
  });

  it.each([0, -1, Number.NaN, Infinity])("refuses a duration of %s", (ms) => {
    expect(() => createTimer(ms)).toThrow(RangeError);
  });
});

describe("getIntervalMs", () => {
  it.each([
    [{ mono: 0, wall: 0 }, { mono: 100, wall: 100 }, 100], // both agree
    [{ mono: 0, wall: 0 }, { mono: 100, wall: 5_000 }, 5_000], // device slept: wall clock is ahead
    [{ mono: 0, wall: 0 }, { mono: 100, wall: -5_000 }, 100], // wall clock set back: monotonic wins
    [{ mono: 500, wall: 500 }, { mono: 0, wall: 0 }, 0], // never negative
  ])("%o → %o = %i", (a, b, want) => expect(getIntervalMs(a, b)).toBe(want));
});

describe("formatting", () => {
  it.each([
    [0, "0:00", "0 seconds"],
    [1, "0:01", "1 second"], // rounds up: shows 0:00 only at the end
    [59_001, "1:00", "1 minute"],
    [61_000, "1:01", "1 minute 1 second"],
    [40 * MIN, "40:00", "40 minutes"],
  ])("%i ms → %s / %s", (ms, clock, words) => {
    expect(formatCountdown(ms)).toBe(clock);
    expect(describeDuration(ms)).toBe(words);
  });
});
