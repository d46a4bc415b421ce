import { describe, expect, it } from "vitest";
import { MAX_SESSION_MINUTES } from "../sessions/options";
import type { ClockReading } from "./clock";
import {
  initialTimerSession,
  keptSessionOf,
  ratingNumbers,
  startProblem,
  timerReducer,
  type TimerDefaults,
  type TimerEvent,
  type TimerSession,
} from "./session";

const defaults: TimerDefaults = {
  minutes: 2,
  seconds: 0,
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: "",
};
const at = (ms: number): ClockReading => ({ mono: 1_000 + ms, wall: Date.parse("2026-12-01T08:00:00Z") + ms });
const run = (events: TimerEvent[], from = initialTimerSession(defaults)): TimerSession =>
  events.reduce(timerReducer, from);

describe("the timer island's state", () => {
  it("starts from the defaults, the length as the inputs hold it", () => {
    const s = initialTimerSession(defaults);
    expect(s.setup).toEqual({ ...defaults, minutes: "2", seconds: "0" });
    expect(s.timer).toBeNull();
  });

  it("refuses to start with a length out of range, or on an area the safety check keeps off, and says why", () => {
    expect(
      run([
        { type: "setup", patch: { minutes: "0" } },
        { type: "start", at: at(0), areasOff: [] },
      ]),
    ).toMatchObject({
      timer: null,
      message: `Choose a length from 1 second to ${MAX_SESSION_MINUTES} minutes.`,
    });
    expect(run([{ type: "start", at: at(0), areasOff: ["back"] }])).toMatchObject({
      timer: null,
      message: "Your safety check says to keep this area off the mat. Choose another area.",
    });
    expect(startProblem({ ...initialTimerSession(defaults).setup, minutes: "0", seconds: "0.5" }, [])).not.toBeNull();
  });

  it("starts, pauses, resumes and finishes from the time stamps, saying each step", () => {
    const started = run([
      { type: "message", text: "old" },
      { type: "start", at: at(0), areasOff: [] },
    ]);
    expect(started).toMatchObject({ message: "", announce: "Timer started: 2 minutes." });
    expect(started.timer?.status).toBe("running");
    const paused = run([{ type: "pause", at: at(30_000) }], started);
    expect(paused).toMatchObject({ announce: "Paused." });
    expect(paused.timer?.status).toBe("paused");
    const resumed = run([{ type: "resume", at: at(60_000) }], paused);
    expect(resumed.timer?.status).toBe("running");
    const ended = run([{ type: "tick", at: at(150_000) }], resumed);
    expect(ended.timer).toMatchObject({ status: "finished", stoppedEarly: false, bankedMs: 120_000 });
    expect(run([{ type: "finished", keptId: "k1" }], ended)).toMatchObject({
      keptId: "k1",
      announce: "Time is up. Please rate your session below.",
    });
  });

  it("keeps a session stopped early with its time so far, ratings as numbers", () => {
    const s = run([
      { type: "rate", name: "painBefore", value: "4" },
      { type: "start", at: at(0), areasOff: [] },
      { type: "stop", at: at(45_000) },
      { type: "finished", keptId: "k2" },
      { type: "rate", name: "discomfort", value: "3" },
      { type: "note", text: "fine" },
    ]);
    expect(s.announce).toBe("Session stopped. Please rate it below.");
    expect(keptSessionOf(s, true, 0)).toEqual({
      id: "k2",
      startedAt: "2026-12-01T08:00:00.000Z",
      durationSeconds: 45,
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "",
      ratings: { painBefore: 4, discomfort: 3 },
      note: "fine",
      rated: true,
      waitingFor: null,
    });
    expect(keptSessionOf(initialTimerSession(defaults), true, 0)).toBeNull();
  });

  it("says where a rated session went", () => {
    expect(run([{ type: "kept-done" }])).toMatchObject({ keptDone: true, announce: "Kept in this browser." });
    expect(run([{ type: "outbox", outbox: "sent", announce: "Sent." }])).toMatchObject({
      outbox: "sent",
      announce: "Sent.",
    });
  });

  it("reads only whole-number ratings", () => {
    expect(ratingNumbers({ discomfort: "3", painAfter: "", stressAfter: "x" })).toEqual({ discomfort: 3 });
  });
});
