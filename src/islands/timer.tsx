/**
 * The guided session timer. Server-rendered first as a plain GET form to the session log (so
 * it still works as a way to log a session without JavaScript); once hydrated it runs the
 * countdown from time stamps, keeps the screen awake where it can, chimes softly at the end
 * (unless muted), vibrates where supported, and then shows the ratings form, a normal POST.
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
import { GATE_TEXT, getKeptCheckGate, KEPT_CHECK_KEY, parseKeptCheck, type TimerGate } from "../core/timer/gate";
import { LAYERS, MAX_SESSION_MINUTES, MEASURES, POSITIONS, SESSION_AREAS, type RatingName } from "../core/sessions/options";
import { LAYER_TEXT, POSITION_TEXT, RATING_TEXT } from "../core/sessions/labels";
import { AREA_NAME } from "../core/safety/labels";

export interface TimerDefaults {
  minutes: number;
  seconds: number;
  position: string;
  area: string;
  layer: string;
  matId: string;
}

interface Props {
  signedIn: boolean;
  /** The gate from the saved check (signed in); null means "read the check kept in this browser". */
  serverGate: TimerGate | null;
  /** Areas the saved check says to keep off the mat. */
  areasOff: string[];
  defaults: TimerDefaults;
  mats: { id: string; name: string }[];
}

const read = (): ClockReading => ({ mono: performance.now(), wall: Date.now() });
const RING = 2 * Math.PI * 54;

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

function Select(props: { name: string; label: string; value: string; options: readonly string[]; text: Record<string, string>; onChange: (v: string) => void; disabled?: boolean; blank?: string }) {
  return (
    <div class="field">
      <label for={`timer-${props.name}`}>{props.label}</label>
      <select id={`timer-${props.name}`} name={props.name} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value)}>
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

function RatingInput({ name, value }: { name: RatingName; value?: string }) {
  const t = RATING_TEXT[name];
  return (
    <div class="field rating">
      <label for={`timer-${name}`}>{t.label}</label>
      <span class="muted" id={`timer-${name}-hint`}>{t.hint}</span>
      <input id={`timer-${name}`} name={name} type="number" inputMode="numeric" min={0} max={10} step={1} required defaultValue={value} aria-describedby={`timer-${name}-hint`} />
    </div>
  );
}

export default function Timer({ signedIn, serverGate, areasOff, defaults, mats }: Props) {
  const [gate, setGate] = useState<TimerGate | null>(serverGate);
  const [hydrated, setHydrated] = useState(false);
  const [setup, setSetup] = useState({ ...defaults, minutes: String(defaults.minutes), seconds: String(defaults.seconds) });
  const [before, setBefore] = useState<Record<string, string>>({});
  const [muted, setMuted] = useState(false);
  const [timer, setTimer] = useState<TimerState | null>(null);
  const [now, setNow] = useState<ClockReading>({ mono: 0, wall: 0 });
  const [message, setMessage] = useState("");
  const [announce, setAnnounce] = useState("");
  const [agreed, setAgreed] = useState(false);
  const audio = useRef<AudioContext | null>(null);
  const lock = useRef<WakeLockLike | null>(null);

  useEffect(() => {
    setHydrated(true);
    if (serverGate === null) setGate(getKeptCheckGate(parseKeptCheck(localStorage.getItem(KEPT_CHECK_KEY)), new Date()));
  }, [serverGate]);

  const status = timer?.status ?? "ready";

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
      nav.wakeLock.request("screen").then((l) => (lock.current = l)).catch(() => undefined);
    };
    acquire();
    document.addEventListener("visibilitychange", acquire);
    return () => {
      document.removeEventListener("visibilitychange", acquire);
      void lock.current?.release().catch(() => undefined);
      lock.current = null;
    };
  }, [status]);

  useEffect(() => {
    if (status !== "finished" || !timer) return;
    if (!timer.stoppedEarly) {
      if (!muted && audio.current) chime(audio.current);
      navigator.vibrate?.([200, 120, 200]);
    }
    setAnnounce(timer.stoppedEarly ? "Session stopped. Please rate it below." : "Time is up. Please rate your session below.");
    document.getElementById("timer-rate")?.focus();
  }, [status]);

  const totalSeconds = (Number(setup.minutes) || 0) * 60 + (Number(setup.seconds) || 0);

  const onStart = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!gate?.ok) return;
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

  const keepAgreement = () => {
    const kept = parseKeptCheck(localStorage.getItem(KEPT_CHECK_KEY));
    if (!kept) return;
    const next = { ...kept, professionalAgreedAt: new Date().toISOString() };
    localStorage.setItem(KEPT_CHECK_KEY, JSON.stringify(next));
    setGate(getKeptCheckGate(next, new Date()));
  };

  const live = (
    <p class="visually-hidden" aria-live="polite">
      {announce}
    </p>
  );

  if (hydrated && gate && !gate.ok) {
    return (
      <div class="timer">
        <div class="callout warn" role="status">
          <p>{GATE_TEXT[gate.reason]}</p>
          <p>
            <a class="button" href="/safety-check">
              {gate.reason === "see-professional" ? "See the safety check" : "Take the safety check"}
            </a>
          </p>
        </div>
        {gate.reason === "see-professional" &&
          (signedIn ? (
            <p>
              Once a professional has agreed, record it on your <a href="/account/safety-checks">saved safety check</a>.
            </p>
          ) : (
            <div class="callout">
              <label class="check">
                <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} /> A doctor, nurse or other healthcare professional who knows my health agreed that I may use a mat.
              </label>
              <button type="button" disabled={!agreed} onClick={keepAgreement}>
                Record this in this browser
              </button>
              <p class="muted">Only the date of your confirmation is kept, in this browser.</p>
            </div>
          ))}
        {live}
      </div>
    );
  }

  if (timer && status !== "finished") {
    const elapsed = getElapsedMs(timer, now);
    const remaining = timer.durationMs - elapsed;
    const progress = elapsed / timer.durationMs;
    return (
      <div class="timer">
        <div class="ring-wrap">
          <svg class="ring" viewBox="0 0 120 120" aria-hidden="true" focusable="false">
            <circle cx="60" cy="60" r="54" class="track" />
            <circle cx="60" cy="60" r="54" class="bar" stroke-dasharray={RING} stroke-dashoffset={RING * (1 - progress)} transform="rotate(-90 60 60)" />
          </svg>
          <div class="countdown" role="timer" aria-label={`${describeDuration(remaining)} left`}>
            {formatCountdown(remaining)}
          </div>
        </div>
        <p class="muted state">{status === "paused" ? "Paused" : `${POSITION_TEXT[setup.position as keyof typeof POSITION_TEXT] ?? ""}, ${(LAYER_TEXT[setup.layer as keyof typeof LAYER_TEXT] ?? "").toLowerCase()}`}</p>
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

  if (timer && status === "finished") {
    const seconds = getSessionSeconds(timer, now);
    return (
      <div class="timer">
        <h2 id="timer-rate" tabIndex={-1}>
          {timer.stoppedEarly ? "Session stopped" : "Time is up"}: {describeDuration(seconds * 1000)} on the mat
        </h2>
        {signedIn ? (
          <form method="post" action="/sessions/new" class="ratings">
            <input type="hidden" name="startedAt" value={new Date(timer.startedAtWall ?? Date.now()).toISOString()} />
            <input type="hidden" name="minutes" value={String(Math.floor(seconds / 60))} />
            <input type="hidden" name="seconds" value={String(seconds % 60)} />
            {(["position", "area", "layer", "matId"] as const).map((k) => (
              <input type="hidden" name={k} value={setup[k]} key={k} />
            ))}
            <p>Rate each from 0 to 10. Take the first number that comes to mind.</p>
            <fieldset>
              <legend>On the mat</legend>
              <RatingInput name="discomfort" />
            </fieldset>
            {MEASURES.map((m) => (
              <fieldset key={m}>
                <legend>{RATING_TEXT[`${m}Before`].label.replace(/ before$/, "")}</legend>
                <div class="pair">
                  <RatingInput name={`${m}Before`} value={before[`${m}Before`]} />
                  <RatingInput name={`${m}After`} />
                </div>
              </fieldset>
            ))}
            <div class="field">
              <label for="timer-note">Note (optional)</label>
              <textarea id="timer-note" name="note" rows={2} maxLength={1000} />
            </div>
            <button type="submit">Save this session</button>
          </form>
        ) : (
          <div class="callout">
            <p>Well done. To keep a log of your sessions and see how you adapt, sign in or create a free account; a visitor's sessions are not saved.</p>
            <p>
              <a class="button" href="/account/sign-in?next=/timer">Sign in</a> <a class="button secondary" href="/account/sign-up">Create an account</a>
            </p>
          </div>
        )}
        <p>
          <a href="/timer">Set up another session</a>
        </p>
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
            <input id="timer-minutes" name="minutes" type="number" inputMode="numeric" min={0} max={MAX_SESSION_MINUTES} value={setup.minutes} onInput={(e) => setSetup({ ...setup, minutes: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="timer-seconds">Seconds</label>
            <input id="timer-seconds" name="seconds" type="number" inputMode="numeric" min={0} max={59} value={setup.seconds} onInput={(e) => setSetup({ ...setup, seconds: e.currentTarget.value })} />
          </div>
        </div>
        <p class="muted">Never more than {MAX_SESSION_MINUTES} minutes. Your plan says how long to start with.</p>
      </fieldset>
      <fieldset>
        <legend>How you will use the mat</legend>
        <Select name="position" label="Position" value={setup.position} options={POSITIONS} text={POSITION_TEXT} onChange={(v) => setSetup({ ...setup, position: v })} />
        <Select name="area" label="Body area" value={setup.area} options={SESSION_AREAS} text={AREA_NAME} onChange={(v) => setSetup({ ...setup, area: v })} />
        <Select name="layer" label="Layer" value={setup.layer} options={LAYERS} text={LAYER_TEXT} onChange={(v) => setSetup({ ...setup, layer: v })} />
        <Select name="matId" label="Mat (optional)" value={setup.matId} options={mats.map((m) => m.id)} text={Object.fromEntries(mats.map((m) => [m.id, m.name]))} blank="Not saying" onChange={(v) => setSetup({ ...setup, matId: v })} />
      </fieldset>
      <fieldset>
        <legend>How you feel now (0 to 10, optional)</legend>
        <div class="pair four">
          {MEASURES.map((m) => {
            const name = `${m}Before` as const;
            return (
              <div class="field" key={name}>
                <label for={`timer-now-${name}`}>{RATING_TEXT[name].label.replace(/ before$/, "")}</label>
                <input id={`timer-now-${name}`} name={name} type="number" inputMode="numeric" min={0} max={10} value={before[name] ?? ""} onInput={(e) => setBefore({ ...before, [name]: e.currentTarget.value })} />
              </div>
            );
          })}
        </div>
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={muted} onChange={(e) => setMuted(e.currentTarget.checked)} /> No sound at the end
      </label>
      {message && (
        <p class="field-error" role="alert">
          {message}
        </p>
      )}
      <button type="submit" class="start">
        {hydrated ? "Start the timer" : "Log a session instead"}
      </button>
      {!hydrated && <p class="muted">The timer needs JavaScript. Without it, this button opens the form to log a session you timed yourself.</p>}
      {live}
    </form>
  );
}
