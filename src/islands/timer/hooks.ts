/**
 * The timer island's side effects, one hook each: display ticks, the screen wake lock, the
 * chime at the end, and sending sessions rated offline once there is a connection.
 * @module
 */
import { useEffect, useRef } from "preact/hooks";
import type { ClockReading } from "../../core/timer/clock";
import { sendWaiting, whenOnline, type SendResult } from "../parts/outbox";

/** One look at the browser's clocks. */
export const readClock = (): ClockReading => ({ mono: performance.now(), wall: Date.now() });

/**
 * While `active`, calls `onTick` with a reading four times a second and when the tab comes
 * back. Ticks only redraw; the time itself comes from the stamps.
 */
export function useTicks(active: boolean, onTick: (at: ClockReading) => void): void {
  useEffect(() => {
    if (!active) return;
    const tick = () => onTick(readClock());
    const id = setInterval(tick, 250);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [active]);
}

type WakeLockLike = { release(): Promise<void> };

/** Keeps the screen awake while `active`, and takes the lock again when the tab comes back. */
export function useWakeLock(active: boolean): void {
  const lock = useRef<WakeLockLike | null>(null);
  useEffect(() => {
    if (!active) return;
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
  }, [active]);
}

/** Three soft rising notes. */
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

/**
 * The end-of-session sound: `prepare` on the person's tap that starts the timer (browsers
 * allow sound only after one), `play` at the end. Without sound in the browser, both do nothing.
 */
export function useChime(): { prepare(): void; play(): void } {
  const audio = useRef<AudioContext | null>(null);
  return {
    prepare() {
      try {
        audio.current ??= new AudioContext();
        void audio.current.resume();
      } catch {
        audio.current = null;
      }
    },
    play() {
      if (audio.current) chime(audio.current);
    },
  };
}

/**
 * Sends sessions rated offline (this one, or earlier ones) as soon as there is a connection;
 * `onSent` hears how each sending went.
 */
export function useOutboxSending(account: string | null, onSent: (result: SendResult) => void): void {
  useEffect(() => whenOnline(() => void sendWaiting(account).then(onSent)), []);
}
