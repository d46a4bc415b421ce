/**
 * Timekeeping for the session timer, from time stamps rather than by counting ticks. Ticks
 * only redraw the display: a throttled or sleeping tab that wakes late still shows the
 * right time, and a session ends on time even if no tick ran while it was hidden.
 * @module
 */

/** One look at the clocks: `mono` from performance.now(), `wall` from Date.now(), both in ms. */
export interface ClockReading {
  mono: number;
  wall: number;
}

export type TimerStatus = "ready" | "running" | "paused" | "finished";

export interface TimerState {
  status: TimerStatus;
  /** Planned length in ms. */
  durationMs: number;
  /** Time on the mat before the current run (earlier runs, between pauses). */
  bankedMs: number;
  /** Clocks when the current run began; null unless running. */
  runStart: ClockReading | null;
  /** Wall-clock time of the first start (ms since the epoch), for the session log. */
  startedAtWall: number | null;
  /** True when the person stopped before the planned end. */
  stoppedEarly: boolean;
}

/**
 * Time between two readings. The monotonic clock ignores changes to the system time, but on
 * some systems it stands still while the device sleeps; the wall clock keeps counting then.
 * The larger of the two is used, so a session can end early after a clock change, never late.
 */
export function getIntervalMs(from: ClockReading, to: ClockReading): number {
  return Math.max(0, to.mono - from.mono, to.wall - from.wall);
}

/** A timer that has not started. */
export function createTimer(durationMs: number): TimerState {
  if (!Number.isFinite(durationMs) || durationMs <= 0) throw new RangeError("A timer needs a positive duration.");
  return { status: "ready", durationMs, bankedMs: 0, runStart: null, startedAtWall: null, stoppedEarly: false };
}

/** Time on the mat so far, never more than the planned length. */
export function getElapsedMs(state: TimerState, now: ClockReading): number {
  const running = state.status === "running" && state.runStart ? getIntervalMs(state.runStart, now) : 0;
  return Math.min(state.durationMs, state.bankedMs + running);
}

export function getRemainingMs(state: TimerState, now: ClockReading): number {
  return state.durationMs - getElapsedMs(state, now);
}

/** Starts a ready timer (anything else is returned unchanged). */
export function startTimer(state: TimerState, now: ClockReading): TimerState {
  if (state.status !== "ready") return state;
  return { ...state, status: "running", runStart: now, startedAtWall: now.wall };
}

/** Pauses a running timer, banking the time so far. */
export function pauseTimer(state: TimerState, now: ClockReading): TimerState {
  if (state.status !== "running") return state;
  const next = updateTimer(state, now);
  if (next.status === "finished") return next;
  return { ...state, status: "paused", bankedMs: getElapsedMs(state, now), runStart: null };
}

export function resumeTimer(state: TimerState, now: ClockReading): TimerState {
  if (state.status !== "paused") return state;
  return { ...state, status: "running", runStart: now };
}

/** Ends the session now; `stoppedEarly` tells whether the planned time was reached. */
export function stopTimer(state: TimerState, now: ClockReading): TimerState {
  if (state.status === "ready" || state.status === "finished") return state;
  const elapsed = getElapsedMs(state, now);
  return { ...state, status: "finished", bankedMs: elapsed, runStart: null, stoppedEarly: elapsed < state.durationMs };
}

/** Call on every display tick (and when the tab becomes visible): finishes the timer once time is up. */
export function updateTimer(state: TimerState, now: ClockReading): TimerState {
  if (state.status !== "running" || getElapsedMs(state, now) < state.durationMs) return state;
  return { ...state, status: "finished", bankedMs: state.durationMs, runStart: null, stoppedEarly: false };
}

/** Whole seconds spent on the mat, for the session log (at least 1 once started). */
export function getSessionSeconds(state: TimerState, now: ClockReading): number {
  return Math.max(1, Math.round(getElapsedMs(state, now) / 1000));
}

/** "4:05" for a countdown; seconds round up, so "0:00" shows only at the very end. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** "4 minutes 5 seconds" for screen readers. */
export function describeDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts = [
    m > 0 ? `${m} ${m === 1 ? "minute" : "minutes"}` : "",
    s > 0 || m === 0 ? `${s} ${s === 1 ? "second" : "seconds"}` : "",
  ];
  return parts.filter(Boolean).join(" ");
}
