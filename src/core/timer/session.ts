/**
 * Everything the timer island shows, as one state and a reducer over it: the setup form, the
 * countdown (from the time stamps in `clock.ts`), the ratings, what is said to screen readers,
 * and where a finished session is kept. Pure: the island's hooks bring the clock readings, the
 * sound, the wake lock and the outbox; this decides what they mean.
 * @module
 */
import type { KeptSession } from "../sessions/kept";
import {
  MAX_SESSION_MINUTES,
  MEASURES,
  type Layer,
  type Position,
  type RatingName,
  type SessionArea,
} from "../sessions/options";
import {
  createTimer,
  describeDuration,
  getSessionSeconds,
  pauseTimer,
  resumeTimer,
  startTimer,
  stopTimer,
  updateTimer,
  type ClockReading,
  type TimerState,
} from "./clock";

/** The timer's starting choices (from the person's plan and last session). */
export interface TimerDefaults {
  minutes: number;
  seconds: number;
  position: Position;
  area: SessionArea;
  layer: Layer;
  matId: string;
}

/** The setup form as typed: the length as the inputs hold it. */
export type TimerSetup = Omit<TimerDefaults, "minutes" | "seconds"> & { minutes: string; seconds: string };

/** Where a session rated offline is: waiting on this phone, sent to the log, or refused by it. */
export type Outbox = "none" | "waiting" | "sent" | "refused";

/** The before and after rating names, in the order the forms ask them. */
export const BEFORE = MEASURES.map((m) => `${m}Before` as const);
export const AFTER = MEASURES.map((m) => `${m}After` as const);

export interface TimerSession {
  setup: TimerSetup;
  /** Ratings as the scales hold them ("" or "0"–"10"). */
  ratings: Record<string, string>;
  note: string;
  muted: boolean;
  /** Null until started. */
  timer: TimerState | null;
  /** The last clock reading: what the countdown shows. */
  now: ClockReading;
  /** An error shown above the button ("" for none). */
  message: string;
  /** The latest words for screen readers. */
  announce: string;
  /** The id the finished session is kept under in this browser. */
  keptId: string | null;
  /** A visitor's rated session is kept: the page says so. */
  keptDone: boolean;
  outbox: Outbox;
}

export type TimerEvent =
  | { type: "setup"; patch: Partial<TimerSetup> }
  | { type: "rate"; name: string; value: string }
  | { type: "note"; text: string }
  | { type: "mute"; muted: boolean }
  | { type: "start"; at: ClockReading; areasOff: readonly string[] }
  | { type: "tick"; at: ClockReading }
  | { type: "pause" | "resume" | "stop"; at: ClockReading }
  /** The session has finished and is kept under `keptId`. */
  | { type: "finished"; keptId: string }
  | { type: "message"; text: string }
  | { type: "announce"; text: string }
  | { type: "kept-done" }
  | { type: "outbox"; outbox: Exclude<Outbox, "none">; announce: string };

/** The state before anything is chosen. */
export function initialTimerSession(defaults: TimerDefaults): TimerSession {
  return {
    setup: { ...defaults, minutes: String(defaults.minutes), seconds: String(defaults.seconds) },
    ratings: {},
    note: "",
    muted: false,
    timer: null,
    now: { mono: 0, wall: 0 },
    message: "",
    announce: "",
    keptId: null,
    keptDone: false,
    outbox: "none",
  };
}

/** The length the setup form asks for, in seconds (0 when it is not a number). */
export function setupSeconds(setup: TimerSetup): number {
  return (Number(setup.minutes) || 0) * 60 + (Number(setup.seconds) || 0);
}

/** Why the timer cannot start with this setup, in words, or null when it can. */
export function startProblem(setup: TimerSetup, areasOff: readonly string[]): string | null {
  const total = setupSeconds(setup);
  if (!Number.isInteger(total) || total < 1 || total > MAX_SESSION_MINUTES * 60)
    return `Choose a length from 1 second to ${MAX_SESSION_MINUTES} minutes.`;
  if (areasOff.includes(setup.area))
    return "Your safety check says to keep this area off the mat. Choose another area.";
  return null;
}

const STEPS = { pause: pauseTimer, resume: resumeTimer, stop: stopTimer } as const;
const STEP_WORDS = { pause: "Paused.", resume: "Resumed.", stop: "Stopped." } as const;

/** The next state after `event`. */
export function timerReducer(state: TimerSession, event: TimerEvent): TimerSession {
  switch (event.type) {
    case "setup":
      return { ...state, setup: { ...state.setup, ...event.patch } };
    case "rate":
      return { ...state, ratings: { ...state.ratings, [event.name]: event.value } };
    case "note":
      return { ...state, note: event.text };
    case "mute":
      return { ...state, muted: event.muted };
    case "start": {
      const problem = startProblem(state.setup, event.areasOff);
      if (problem) return { ...state, message: problem };
      const ms = setupSeconds(state.setup) * 1000;
      return {
        ...state,
        message: "",
        now: event.at,
        timer: startTimer(createTimer(ms), event.at),
        announce: `Timer started: ${describeDuration(ms)}.`,
      };
    }
    case "tick":
      return { ...state, now: event.at, timer: state.timer ? updateTimer(state.timer, event.at) : null };
    case "pause":
    case "resume":
    case "stop":
      return {
        ...state,
        now: event.at,
        timer: state.timer ? STEPS[event.type](state.timer, event.at) : null,
        announce: STEP_WORDS[event.type],
      };
    case "finished":
      return {
        ...state,
        keptId: event.keptId,
        announce: state.timer?.stoppedEarly
          ? "Session stopped. Please rate it below."
          : "Time is up. Please rate your session below.",
      };
    case "message":
      return { ...state, message: event.text };
    case "announce":
      return { ...state, announce: event.text };
    case "kept-done":
      return { ...state, keptDone: true, announce: "Kept in this browser." };
    case "outbox":
      return { ...state, outbox: event.outbox, announce: event.announce };
  }
}

/** The ratings given, as numbers (a scale left empty is left out). */
export function ratingNumbers(values: Record<string, string>): Partial<Record<RatingName, number>> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => /^\d{1,2}$/.test(v))
      .map(([k, v]) => [k, Number(v)]),
  );
}

/** The finished session as this browser keeps it, or null before it has an id. `nowWall` stands in for a missing start. */
export function keptSessionOf(state: TimerSession, rated: boolean, nowWall: number): KeptSession | null {
  const { timer, keptId, setup } = state;
  if (!timer || !keptId) return null;
  return {
    id: keptId,
    startedAt: new Date(timer.startedAtWall ?? nowWall).toISOString(),
    durationSeconds: Math.max(1, getSessionSeconds(timer, state.now)),
    position: setup.position,
    area: setup.area,
    layer: setup.layer,
    matId: setup.matId,
    ratings: ratingNumbers(state.ratings),
    note: state.note,
    rated,
    waitingFor: null,
  };
}
