/**
 * What the timer island shows at each step, as plain views of its state: the setup form, the
 * countdown, the rating form, and the words after a session is kept or sent.
 * @module
 */
import type { ComponentChildren, JSX } from "preact";
import { describeDuration, formatCountdown, getElapsedMs, getSessionSeconds } from "../../core/timer/clock";
import {
  AFTER,
  BEFORE,
  type Outbox,
  type TimerEvent,
  type TimerSession,
  type TimerSetup,
} from "../../core/timer/session";
import { LAYERS, MAX_SESSION_MINUTES, MEASURES, POSITIONS, SESSION_AREAS } from "../../core/sessions/options";
import type { Layer, SessionArea } from "../../core/sessions/options";
import { LAYER_TEXT, MEASURE_LABEL, POSITION_TEXT } from "../../core/sessions/labels";
import { AREA_NAME } from "../../core/safety/labels";
import { pictureFor } from "../../core/pictures/positions";
import { RatingScale } from "../parts/rating-scale";
import { PositionPicture } from "../parts/position-picture";

const RING = 2 * Math.PI * 54;

type Dispatch = (event: TimerEvent) => void;

/** The screen-reader line and the error above the button, shown on every view. */
export interface Said {
  live: ComponentChildren;
  error: ComponentChildren;
}

function Select(props: {
  name: string;
  label: string;
  value: string;
  options: readonly string[];
  text: Record<string, string>;
  onChange: (v: string) => void;
  blank?: string;
}) {
  return (
    <div class="field">
      <label for={`timer-${props.name}`}>{props.label}</label>
      <select
        id={`timer-${props.name}`}
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        {props.blank !== undefined && <option value="">{props.blank}</option>}
        {props.options.map((o) => (
          <option value={o} key={o}>
            {props.text[o] ?? o}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The countdown with its ring, while running or paused. */
export function Running({
  state,
  step,
  live,
}: {
  state: TimerSession;
  step: (s: "pause" | "resume" | "stop") => void;
  live: ComponentChildren;
}) {
  const timer = state.timer!;
  const elapsed = getElapsedMs(timer, state.now);
  const remaining = timer.durationMs - elapsed;
  const progress = elapsed / timer.durationMs;
  return (
    <div class="timer">
      <div class="ring-wrap">
        <svg class="ring" viewBox="0 0 120 120" aria-hidden="true" focusable="false">
          <circle cx="60" cy="60" r="54" class="track" />
          <circle
            cx="60"
            cy="60"
            r="54"
            class="bar"
            stroke-dasharray={RING}
            stroke-dashoffset={RING * (1 - progress)}
            transform="rotate(-90 60 60)"
          />
        </svg>
        <div class="countdown" role="timer" aria-label={`${describeDuration(remaining)} left`}>
          {formatCountdown(remaining)}
        </div>
      </div>
      <p class="muted state">
        {timer.status === "paused"
          ? "Paused"
          : `${POSITION_TEXT[state.setup.position]}, ${LAYER_TEXT[state.setup.layer].toLowerCase()}`}
      </p>
      <div class="controls">
        {timer.status === "running" ? (
          <button type="button" onClick={() => step("pause")}>
            Pause
          </button>
        ) : (
          <button type="button" onClick={() => step("resume")}>
            Resume
          </button>
        )}
        <button type="button" class="secondary" onClick={() => step("stop")}>
          Stop
        </button>
      </div>
      <p class="muted">Get off the mat at once if you feel numbness, sharp pain that does not fade, or dizziness.</p>
      {live}
    </div>
  );
}

const OUTBOX_WORDS: Record<Exclude<Outbox, "none">, { title: string; text: string }> = {
  waiting: {
    title: "Saved on this phone",
    text: "Saved on this phone — will be sent when you are back online. You may close this page: Today sends it the next time you open it with a connection.",
  },
  sent: { title: "Sent to your log", text: "Your session was sent and is saved in your log." },
  refused: {
    title: "Not saved yet",
    text: "Your log could not take this session as it was. Open Today to rate it again.",
  },
};

/** A session rated offline: waiting on this phone, sent, or refused by the log. */
export function OutboxDone({ outbox, live }: { outbox: Exclude<Outbox, "none">; live: ComponentChildren }) {
  return (
    <div class="timer">
      <h2 id="timer-rate" tabIndex={-1}>
        {OUTBOX_WORDS[outbox].title}
      </h2>
      <p role="status" class={`callout ${outbox === "refused" ? "warn" : "ok"}`}>
        {OUTBOX_WORDS[outbox].text}
      </p>
      <p class="actions">
        {outbox === "sent" && (
          <a class="button" href="/sessions">
            See it in your log
          </a>
        )}{" "}
        <a class={outbox === "sent" ? "button secondary" : "button"} href="/today">
          Back to Today
        </a>
      </p>
      {live}
    </div>
  );
}

/** A visitor's rated session, kept in this browser. */
export function KeptDone({ live }: { live: ComponentChildren }) {
  return (
    <div class="timer">
      <h2 id="timer-rate" tabIndex={-1}>
        Kept in this browser
      </h2>
      <p>
        Well done. To keep a log and see how you get used to the mat, create a free account or sign in: this session is
        then offered for saving to it.
      </p>
      <p class="actions">
        <a class="button" href="/account/sign-up?next=/today">
          Create an account
        </a>{" "}
        <a class="button secondary" href="/account/sign-in?next=/today">
          Sign in
        </a>
      </p>
      <p>
        <a href="/today">Back to Today</a>
      </p>
      {live}
    </div>
  );
}

/** The ratings after the session: a POST to the log for a signed-in person, kept in the browser for a visitor. */
export function RatingForm(props: {
  state: TimerSession;
  signedIn: boolean;
  dispatch: Dispatch;
  onSubmit: (e: JSX.TargetedEvent<HTMLFormElement>) => void;
  said: Said;
}) {
  const { state, signedIn, dispatch } = props;
  const { ratings, setup } = state;
  const timer = state.timer!;
  const seconds = getSessionSeconds(timer, state.now);
  const rate = (name: string) => (value: string) => dispatch({ type: "rate", name, value });
  const beforeGiven = BEFORE.filter((b) => (ratings[b] ?? "") !== "");
  return (
    <div class="timer">
      <h2 id="timer-rate" tabIndex={-1}>
        {timer.stoppedEarly ? "Session stopped" : "Time is up"}: {describeDuration(seconds * 1000)} on the mat
      </h2>
      <form method="post" action="/sessions/new" class="ratings" onSubmit={props.onSubmit} noValidate>
        <input type="hidden" name="startedAt" value={new Date(timer.startedAtWall ?? Date.now()).toISOString()} />
        <input type="hidden" name="minutes" value={String(Math.floor(seconds / 60))} />
        <input type="hidden" name="seconds" value={String(seconds % 60)} />
        {(["position", "area", "layer", "matId"] as const).map((k) => (
          <input type="hidden" name={k} value={setup[k]} key={k} />
        ))}
        {state.keptId && <input type="hidden" name="kept" value={state.keptId} />}
        {beforeGiven.map((b) => (
          <input type="hidden" name={b} value={ratings[b]} key={b} />
        ))}
        <p>Tap the first number that comes to mind. Only discomfort is needed.</p>
        <RatingScale
          name="discomfort"
          idPrefix="timer"
          value={ratings.discomfort ?? ""}
          onChange={rate("discomfort")}
        />
        {AFTER.map((a, i) => (
          <RatingScale
            name={a}
            idPrefix="timer"
            key={a}
            value={ratings[a] ?? ""}
            onChange={rate(a)}
            optional
            label={`${MEASURE_LABEL[MEASURES[i] ?? "pain"]} now`}
          />
        ))}
        {beforeGiven.length < BEFORE.length && (
          <details class="more">
            <summary>How you felt before (optional)</summary>
            {BEFORE.filter((b) => !beforeGiven.includes(b)).map((b) => (
              <RatingScale name={b} idPrefix="timer" key={b} value={ratings[b] ?? ""} onChange={rate(b)} optional />
            ))}
          </details>
        )}
        <details class="more">
          <summary>Add a note (optional)</summary>
          <div class="field">
            <label for="timer-note">Note</label>
            <textarea
              id="timer-note"
              name="note"
              rows={2}
              maxLength={1000}
              value={state.note}
              onInput={(e) => dispatch({ type: "note", text: e.currentTarget.value })}
            />
          </div>
        </details>
        {props.said.error}
        <button type="submit" class="save">
          {signedIn ? "Save this session" : "Keep this session"}
        </button>
        {!signedIn && (
          <p class="muted">Kept in this browser until you create an account or sign in and choose to save it.</p>
        )}
      </form>
      {props.said.live}
    </div>
  );
}

/** Position, body area, layer and mat: the setup's choices of where and how. */
function PlaceFields({
  setup,
  mats,
  set,
}: {
  setup: TimerSetup;
  mats: { id: string; name: string }[];
  set: (patch: Partial<TimerSetup>) => void;
}) {
  return (
    <>
      <fieldset class="positions">
        <legend>Position</legend>
        <div class="position-grid">
          {POSITIONS.map((p) => (
            <label class="position-choice" key={p}>
              <input
                type="radio"
                name="position"
                value={p}
                checked={setup.position === p}
                onChange={() => set({ position: p })}
              />
              <PositionPicture picture={pictureFor(p, setup.area)} />
              <span>{POSITION_TEXT[p]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Where and how</legend>
        <Select
          name="area"
          label="Body area"
          value={setup.area}
          options={SESSION_AREAS}
          text={AREA_NAME}
          onChange={(v) => set({ area: v as SessionArea })}
        />
        <Select
          name="layer"
          label="Layer"
          value={setup.layer}
          options={LAYERS}
          text={LAYER_TEXT}
          onChange={(v) => set({ layer: v as Layer })}
        />
        <Select
          name="matId"
          label="Mat (optional)"
          value={setup.matId}
          options={mats.map((m) => m.id)}
          text={Object.fromEntries(mats.map((m) => [m.id, m.name]))}
          blank="Not saying"
          onChange={(v) => set({ matId: v })}
        />
      </fieldset>
    </>
  );
}

/** The length, position and place, before the timer starts (a plain GET form to the log without JavaScript). */
export function SetupForm(props: {
  state: TimerSession;
  hydrated: boolean;
  mats: { id: string; name: string }[];
  dispatch: Dispatch;
  onSubmit: (e: JSX.TargetedEvent<HTMLFormElement>) => void;
  said: Said;
}) {
  const { state, dispatch, hydrated, mats } = props;
  const { setup, ratings } = state;
  const set = (patch: Partial<TimerSetup>) => dispatch({ type: "setup", patch });
  return (
    <form method="get" action="/sessions/new" class="timer setup" onSubmit={props.onSubmit}>
      <fieldset>
        <legend>Length</legend>
        <div class="pair">
          <div class="field">
            <label for="timer-minutes">Minutes</label>
            <input
              id="timer-minutes"
              name="minutes"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_SESSION_MINUTES}
              value={setup.minutes}
              onInput={(e) => set({ minutes: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="timer-seconds">Seconds</label>
            <input
              id="timer-seconds"
              name="seconds"
              type="number"
              inputMode="numeric"
              min={0}
              max={59}
              value={setup.seconds}
              onInput={(e) => set({ seconds: e.currentTarget.value })}
            />
          </div>
        </div>
        <p class="muted">Never more than {MAX_SESSION_MINUTES} minutes. Your plan says how long to start with.</p>
      </fieldset>
      <PlaceFields setup={setup} mats={mats} set={set} />
      <details class="more">
        <summary>How you feel now (optional)</summary>
        {BEFORE.map((b, i) => (
          <RatingScale
            name={b}
            idPrefix="timer-now"
            key={b}
            value={ratings[b] ?? ""}
            onChange={(value) => dispatch({ type: "rate", name: b, value })}
            optional
            label={MEASURE_LABEL[MEASURES[i] ?? "pain"]}
          />
        ))}
      </details>
      <label class="check">
        <input
          type="checkbox"
          checked={state.muted}
          onChange={(e) => dispatch({ type: "mute", muted: e.currentTarget.checked })}
        />{" "}
        No sound at the end
      </label>
      {props.said.error}
      <button type="submit" class="start">
        {hydrated ? "Start the timer" : "Log a session instead"}
      </button>
      {!hydrated && (
        <p class="muted">
          The timer needs JavaScript. Without it, this button opens the form to log a session you timed yourself.
        </p>
      )}
      {props.said.live}
    </form>
  );
}
