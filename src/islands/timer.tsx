/**
 * The guided session timer. Server-rendered first as a plain GET form to the session log (so
 * it still works as a way to log a session without JavaScript); once hydrated it runs the
 * countdown from time stamps, keeps the screen awake where it can, chimes softly at the end
 * (unless muted), vibrates where supported, and then asks for the ratings as 0–10 tap scales.
 * A finished session is kept in this browser at once (so leaving before rating loses nothing):
 * a signed-in person's rating form is a normal POST to the log; a visitor's session stays in
 * the browser until they sign in and choose to save it. The page shows the safety gate; this
 * island is only there when it is open.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { JSX } from "preact";
import {
  createTimer,
  describeDuration,
  formatCountdown,
  getElapsedMs,
  getSessionSeconds,
  pauseTimer,
  resumeTimer,
  startTimer,
  stopTimer,
  updateTimer,
  type ClockReading,
  type TimerState,
} from "../core/timer/clock";
import { makeKeptId, type KeptSession } from "../core/sessions/kept";
import {
  LAYERS,
  MAX_SESSION_MINUTES,
  MEASURES,
  POSITIONS,
  SESSION_AREAS,
  type Layer,
  type Position,
  type RatingName,
  type SessionArea,
} from "../core/sessions/options";
import { LAYER_TEXT, MEASURE_LABEL, POSITION_TEXT } from "../core/sessions/labels";
import { AREA_NAME } from "../core/safety/labels";
import { pictureFor } from "../core/pictures/positions";
import { RatingScale } from "./parts/rating-scale";
import { PositionPicture } from "./parts/position-picture";
import { keepSession, newRecordId, sendWaiting, whenOnline } from "./parts/outbox";

export interface TimerDefaults {
  minutes: number;
  seconds: number;
  position: Position;
  area: SessionArea;
  layer: Layer;
  matId: string;
}

interface Props {
  signedIn: boolean;
  /** The signed-in person's account id: a session rated offline waits for this account only. */
  account: string | null;
  /** Areas the current safety result says to keep off the mat. */
  areasOff: string[];
  defaults: TimerDefaults;
  mats: { id: string; name: string }[];
}

const read = (): ClockReading => ({ mono: performance.now(), wall: Date.now() });
const RING = 2 * Math.PI * 54;
const BEFORE = MEASURES.map((m) => `${m}Before` as const);
const AFTER = MEASURES.map((m) => `${m}After` as const);

type WakeLockLike = { release(): Promise<void> };

function chime(ctx: AudioContext): void {
  const t0 = ctx.currentTime + 0.05;
  [523.25, 659.25, 783.99].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    const t = t0 + i * 0.4;
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.06);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 1.4);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 1.5);
  });
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

const toNumbers = (values: Record<string, string>): Partial<Record<RatingName, number>> =>
  Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => /^\d{1,2}$/.test(v))
      .map(([k, v]) => [k, Number(v)]),
  );

/** Where a session rated offline is: waiting on this phone, sent to the log, or refused by it. */
type Outbox = "none" | "waiting" | "sent" | "refused";

export default function Timer({ signedIn, account, areasOff, defaults, mats }: Props) {
  const [hydrated, setHydrated] = useState(false);
  const [setup, setSetup] = useState({
    ...defaults,
    minutes: String(defaults.minutes),
    seconds: String(defaults.seconds),
  });
  const [ratings, setRatings] = useState<Record<string, string>>({});
  const [note, setNote] = useState("");
  const [muted, setMuted] = useState(false);
  const [timer, setTimer] = useState<TimerState | null>(null);
  const [now, setNow] = useState<ClockReading>({ mono: 0, wall: 0 });
  const [message, setMessage] = useState("");
  const [announce, setAnnounce] = useState("");
  const [keptId, setKeptId] = useState<string | null>(null);
  const [keptDone, setKeptDone] = useState(false);
  const [outbox, setOutbox] = useState<Outbox>("none");
  const keptIdNow = useRef<string | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const lock = useRef<WakeLockLike | null>(null);

  useEffect(() => setHydrated(true), []);

  // Sessions rated offline (this one, or earlier ones) are sent as soon as there is a connection.
  useEffect(
    () =>
      whenOnline(() => {
        void sendWaiting(account).then((r) => {
          const id = keptIdNow.current;
          if (id && r.sent.includes(id)) setOutbox("sent");
          else if (id && r.refused.includes(id)) setOutbox("refused");
          if (id && (r.sent.includes(id) || r.refused.includes(id)))
            setAnnounce(
              r.sent.includes(id) ? "Sent: your session is in your log." : "Your session could not be saved as it was.",
            );
        });
      }),
    [],
  );

  const status = timer?.status ?? "ready";
  const rate = (name: string) => (value: string) => setRatings((r) => ({ ...r, [name]: value }));
  const beforeGiven = BEFORE.filter((b) => (ratings[b] ?? "") !== "");

  // Display ticks only redraw; the time itself comes from the stamps in `timer`.
  useEffect(() => {
    if (status !== "running") return;
    const tick = () => {
      const reading = read();
      setNow(reading);
      setTimer((t) => (t ? updateTimer(t, reading) : t));
    };
    const id = setInterval(tick, 250);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [status]);

  // Keep the screen awake while running, and take the lock again when the tab comes back.
  useEffect(() => {
    if (status !== "running") return;
    const nav = navigator as Navigator & { wakeLock?: { request(type: "screen"): Promise<WakeLockLike> } };
    const acquire = () => {
      if (!nav.wakeLock || document.visibilityState !== "visible") return;
      nav.wakeLock
        .request("screen")
        .then((l) => (lock.current = l))
        .catch(() => undefined);
    };
    acquire();
    document.addEventListener("visibilitychange", acquire);
    return () => {
      document.removeEventListener("visibilitychange", acquire);
      void lock.current?.release().catch(() => undefined);
      lock.current = null;
    };
  }, [status]);

  const keptSession = (rated: boolean): KeptSession | null =>
    timer && keptId
      ? {
          id: keptId,
          startedAt: new Date(timer.startedAtWall ?? Date.now()).toISOString(),
          durationSeconds: Math.max(1, getSessionSeconds(timer, now)),
          position: setup.position,
          area: setup.area,
          layer: setup.layer,
          matId: setup.matId,
          ratings: toNumbers(ratings),
          note,
          rated,
          waitingFor: null,
        }
      : null;

  // At the end: chime, keep the unrated session in this browser, and move focus to the ratings.
  useEffect(() => {
    if (status !== "finished" || !timer) return;
    if (!timer.stoppedEarly) {
      if (!muted && audio.current) chime(audio.current);
      navigator.vibrate?.([200, 120, 200]);
    }
    const id = newRecordId(() => makeKeptId(Date.now(), Math.random()));
    keptIdNow.current = id;
    setKeptId(id);
    setAnnounce(
      timer.stoppedEarly ? "Session stopped. Please rate it below." : "Time is up. Please rate your session below.",
    );
    document.getElementById("timer-rate")?.focus();
  }, [status]);

  useEffect(() => {
    const s = keptSession(false);
    if (s && !keptDone) keepSession(s);
  }, [keptId]);

  const totalSeconds = (Number(setup.minutes) || 0) * 60 + (Number(setup.seconds) || 0);

  const onStart = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!Number.isInteger(totalSeconds) || totalSeconds < 1 || totalSeconds > MAX_SESSION_MINUTES * 60) {
      setMessage(`Choose a length from 1 second to ${MAX_SESSION_MINUTES} minutes.`);
      return;
    }
    if (areasOff.includes(setup.area)) {
      setMessage("Your safety check says to keep this area off the mat. Choose another area.");
      return;
    }
    setMessage("");
    if (!muted) {
      try {
        audio.current ??= new AudioContext();
        void audio.current.resume();
      } catch {
        audio.current = null;
      }
    }
    const reading = read();
    setNow(reading);
    setTimer(startTimer(createTimer(totalSeconds * 1000), reading));
    setAnnounce(`Timer started: ${describeDuration(totalSeconds * 1000)}.`);
    // The form goes away; keep keyboard focus on the controls that replace it.
    setTimeout(() => document.querySelector<HTMLButtonElement>(".timer .controls button")?.focus(), 0);
  };

  const act = (step: (t: TimerState, c: ClockReading) => TimerState, words: string) => () => {
    const reading = read();
    setNow(reading);
    setTimer((t) => (t ? step(t, reading) : t));
    setAnnounce(words);
  };

  const onRated = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    if (!ratings.discomfort) {
      e.preventDefault();
      setMessage("Tap how much discomfort you felt on the mat, from 0 to 10. Everything else may be skipped.");
      document.getElementById("timer-discomfort")?.scrollIntoView({ block: "center" });
      return;
    }
    setMessage("");
    const s = keptSession(!signedIn);
    // Signed in without a connection: the session waits on this phone and is sent when it returns.
    if (s && account && !navigator.onLine && keepSession({ ...s, rated: true, waitingFor: account })) {
      e.preventDefault();
      setOutbox("waiting");
      setAnnounce("Saved on this phone. It will be sent when you are back online.");
      setTimeout(() => document.getElementById("timer-rate")?.focus(), 0);
      return;
    }
    if (s) keepSession(s);
    // Signed in: the form posts to the log, which names this session back so the browser can forget it.
    if (!signedIn) {
      e.preventDefault();
      setKeptDone(true);
      setAnnounce("Kept in this browser.");
    }
  };

  const live = (
    <p class="visually-hidden" aria-live="polite">
      {announce}
    </p>
  );
  const error = message && (
    <p class="field-error" role="alert">
      {message}
    </p>
  );

  if (timer && status !== "finished") {
    const elapsed = getElapsedMs(timer, now);
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
          {status === "paused"
            ? "Paused"
            : `${POSITION_TEXT[setup.position]}, ${LAYER_TEXT[setup.layer].toLowerCase()}`}
        </p>
        <div class="controls">
          {status === "running" ? (
            <button type="button" onClick={act(pauseTimer, "Paused.")}>
              Pause
            </button>
          ) : (
            <button type="button" onClick={act(resumeTimer, "Resumed.")}>
              Resume
            </button>
          )}
          <button type="button" class="secondary" onClick={act(stopTimer, "Stopped.")}>
            Stop
          </button>
        </div>
        <p class="muted">Get off the mat at once if you feel numbness, sharp pain that does not fade, or dizziness.</p>
        {live}
      </div>
    );
  }

  if (timer && status === "finished" && outbox !== "none") {
    const words: Record<Exclude<Outbox, "none">, { title: string; text: string }> = {
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
    return (
      <div class="timer">
        <h2 id="timer-rate" tabIndex={-1}>
          {words[outbox].title}
        </h2>
        <p role="status" class={`callout ${outbox === "refused" ? "warn" : "ok"}`}>
          {words[outbox].text}
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

  if (timer && status === "finished" && keptDone) {
    return (
      <div class="timer">
        <h2 id="timer-rate" tabIndex={-1}>
          Kept in this browser
        </h2>
        <p>
          Well done. To keep a log and see how you get used to the mat, create a free account or sign in: this session
          is then offered for saving to it.
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

  if (timer && status === "finished") {
    const seconds = getSessionSeconds(timer, now);
    return (
      <div class="timer">
        <h2 id="timer-rate" tabIndex={-1}>
          {timer.stoppedEarly ? "Session stopped" : "Time is up"}: {describeDuration(seconds * 1000)} on the mat
        </h2>
        <form method="post" action="/sessions/new" class="ratings" onSubmit={onRated} noValidate>
          <input type="hidden" name="startedAt" value={new Date(timer.startedAtWall ?? Date.now()).toISOString()} />
          <input type="hidden" name="minutes" value={String(Math.floor(seconds / 60))} />
          <input type="hidden" name="seconds" value={String(seconds % 60)} />
          {(["position", "area", "layer", "matId"] as const).map((k) => (
            <input type="hidden" name={k} value={setup[k]} key={k} />
          ))}
          {keptId && <input type="hidden" name="kept" value={keptId} />}
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
                value={note}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
            </div>
          </details>
          {error}
          <button type="submit" class="save">
            {signedIn ? "Save this session" : "Keep this session"}
          </button>
          {!signedIn && (
            <p class="muted">Kept in this browser until you create an account or sign in and choose to save it.</p>
          )}
        </form>
        {live}
      </div>
    );
  }

  return (
    <form method="get" action="/sessions/new" class="timer setup" onSubmit={onStart}>
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
              onInput={(e) => setSetup({ ...setup, minutes: e.currentTarget.value })}
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
              onInput={(e) => setSetup({ ...setup, seconds: e.currentTarget.value })}
            />
          </div>
        </div>
        <p class="muted">Never more than {MAX_SESSION_MINUTES} minutes. Your plan says how long to start with.</p>
      </fieldset>
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
                onChange={() => setSetup({ ...setup, position: p })}
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
          onChange={(v) => setSetup({ ...setup, area: v as SessionArea })}
        />
        <Select
          name="layer"
          label="Layer"
          value={setup.layer}
          options={LAYERS}
          text={LAYER_TEXT}
          onChange={(v) => setSetup({ ...setup, layer: v as Layer })}
        />
        <Select
          name="matId"
          label="Mat (optional)"
          value={setup.matId}
          options={mats.map((m) => m.id)}
          text={Object.fromEntries(mats.map((m) => [m.id, m.name]))}
          blank="Not saying"
          onChange={(v) => setSetup({ ...setup, matId: v })}
        />
      </fieldset>
      <details class="more">
        <summary>How you feel now (optional)</summary>
        {BEFORE.map((b, i) => (
          <RatingScale
            name={b}
            idPrefix="timer-now"
            key={b}
            value={ratings[b] ?? ""}
            onChange={rate(b)}
            optional
            label={MEASURE_LABEL[MEASURES[i] ?? "pain"]}
          />
        ))}
      </details>
      <label class="check">
        <input type="checkbox" checked={muted} onChange={(e) => setMuted(e.currentTarget.checked)} /> No sound at the
        end
      </label>
      {error}
      <button type="submit" class="start">
        {hydrated ? "Start the timer" : "Log a session instead"}
      </button>
      {!hydrated && (
        <p class="muted">
          The timer needs JavaScript. Without it, this button opens the form to log a session you timed yourself.
        </p>
      )}
      {live}
    </form>
  );
}
