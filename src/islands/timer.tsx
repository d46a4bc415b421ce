/**
 * The guided session timer. Server-rendered first as a plain GET form to the session log (so
 * it still works as a way to log a session without JavaScript); once hydrated it runs the
 * countdown from time stamps, keeps the screen awake where it can, chimes softly at the end
 * (unless muted), vibrates where supported, and then asks for the ratings as 0–10 tap scales.
 * A finished session is kept in this browser at once (so leaving before rating loses nothing):
 * a signed-in person's rating form is a normal POST to the log; a visitor's session stays in
 * the browser until they sign in and choose to save it. The page shows the safety gate; this
 * island is only there when it is open.
 *
 * The state and what each step means are `timerReducer` in src/core/timer/session.ts; the side
 * effects are the hooks in ./timer/hooks.ts; the views are in ./timer/views.tsx.
 */
import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import type { JSX } from "preact";
import { makeKeptId } from "../core/sessions/kept";
import {
  initialTimerSession,
  keptSessionOf,
  startProblem,
  timerReducer,
  type TimerDefaults,
} from "../core/timer/session";
import { keepSession, newRecordId, type SendResult } from "./parts/outbox";
import { readClock, useChime, useOutboxSending, useTicks, useWakeLock } from "./timer/hooks";
import { KeptDone, OutboxDone, RatingForm, Running, SetupForm } from "./timer/views";

export type { TimerDefaults } from "../core/timer/session";

interface Props {
  signedIn: boolean;
  /** The signed-in person's account id: a session rated offline waits for this account only. */
  account: string | null;
  /** Areas the current safety result says to keep off the mat. */
  areasOff: string[];
  defaults: TimerDefaults;
  mats: { id: string; name: string }[];
}

const focusLater = (selector: string) => setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus(), 0);

export default function Timer({ signedIn, account, areasOff, defaults, mats }: Props) {
  const [hydrated, setHydrated] = useState(false);
  const [state, dispatch] = useReducer(timerReducer, defaults, initialTimerSession);
  const keptIdNow = useRef<string | null>(null);
  const chime = useChime();
  const status = state.timer?.status ?? "ready";

  useEffect(() => setHydrated(true), []);

  // Sessions rated offline (this one, or earlier ones) are sent as soon as there is a connection.
  useOutboxSending(account, (r: SendResult) => {
    const id = keptIdNow.current;
    if (id && r.sent.includes(id))
      dispatch({ type: "outbox", outbox: "sent", announce: "Sent: your session is in your log." });
    else if (id && r.refused.includes(id))
      dispatch({ type: "outbox", outbox: "refused", announce: "Your session could not be saved as it was." });
  });
  useTicks(status === "running", (at) => dispatch({ type: "tick", at }));
  useWakeLock(status === "running");

  // At the end: chime, keep the unrated session in this browser, and move focus to the ratings.
  useEffect(() => {
    if (status !== "finished" || !state.timer) return;
    if (!state.timer.stoppedEarly) {
      if (!state.muted) chime.play();
      navigator.vibrate?.([200, 120, 200]);
    }
    const id = newRecordId(() => makeKeptId(Date.now(), Math.random()));
    keptIdNow.current = id;
    dispatch({ type: "finished", keptId: id });
    document.getElementById("timer-rate")?.focus();
  }, [status]);

  useEffect(() => {
    const s = keptSessionOf(state, false, Date.now());
    if (s && !state.keptDone) keepSession(s);
  }, [state.keptId]);

  const onStart = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const starts = startProblem(state.setup, areasOff) === null;
    if (starts && !state.muted) chime.prepare();
    dispatch({ type: "start", at: readClock(), areasOff });
    // The form goes away; keep keyboard focus on the controls that replace it.
    if (starts) focusLater(".timer .controls button");
  };

  const onRated = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    if (!state.ratings.discomfort) {
      e.preventDefault();
      dispatch({
        type: "message",
        text: "Tap how much discomfort you felt on the mat, from 0 to 10. Everything else may be skipped.",
      });
      document.getElementById("timer-discomfort")?.scrollIntoView({ block: "center" });
      return;
    }
    dispatch({ type: "message", text: "" });
    const s = keptSessionOf(state, !signedIn, Date.now());
    // Signed in without a connection: the session waits on this phone and is sent when it returns.
    if (s && account && !navigator.onLine && keepSession({ ...s, rated: true, waitingFor: account })) {
      e.preventDefault();
      dispatch({
        type: "outbox",
        outbox: "waiting",
        announce: "Saved on this phone. It will be sent when you are back online.",
      });
      focusLater("#timer-rate");
      return;
    }
    if (s) keepSession(s);
    // Signed in: the form posts to the log, which names this session back so the browser can forget it.
    if (!signedIn) {
      e.preventDefault();
      dispatch({ type: "kept-done" });
    }
  };

  const said = {
    live: (
      <p class="visually-hidden" aria-live="polite">
        {state.announce}
      </p>
    ),
    error: state.message && (
      <p class="field-error" role="alert">
        {state.message}
      </p>
    ),
  };

  if (state.timer && status !== "finished")
    return <Running state={state} step={(type) => dispatch({ type, at: readClock() })} live={said.live} />;
  if (state.timer && state.outbox !== "none") return <OutboxDone outbox={state.outbox} live={said.live} />;
  if (state.timer && state.keptDone) return <KeptDone live={said.live} />;
  if (state.timer)
    return <RatingForm state={state} signedIn={signedIn} dispatch={dispatch} onSubmit={onRated} said={said} />;
  return <SetupForm state={state} hydrated={hydrated} mats={mats} dispatch={dispatch} onSubmit={onStart} said={said} />;
}
