/**
 * "Remember this result in this browser" for the safety-check result page, for people without
 * an account. Keeps only the level and the date in localStorage (plus, at "see a professional
 * first", the date a professional's agreement was confirmed), which is what the timer's gate reads.
 * Without JavaScript nothing is kept and the page says so.
 */
import { useEffect, useState } from "preact/hooks";
import { KEPT_CHECK_KEY, parseKeptCheck, type KeptCheck } from "../core/timer/gate";
import type { SafetyLevel } from "../core/safety/schema";

interface Props {
  /** The result's overall level, e.g. "fine". */
  level: string;
  /** When the check was taken, ISO 8601. */
  date: string;
}

const LEVELS = ["see-professional", "keep-area-off", "extra-care", "fine"];

export default function SafetyRemember({ level, date }: Props) {
  const [ready, setReady] = useState(false);
  const [kept, setKept] = useState<KeptCheck | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [status, setStatus] = useState("");

  useEffect(() => {
    setReady(true);
    try {
      setKept(parseKeptCheck(localStorage.getItem(KEPT_CHECK_KEY)));
    } catch {
      setKept(null);
    }
  }, []);

  if (!LEVELS.includes(level) || Number.isNaN(Date.parse(date))) return null;
  if (!ready) return <p class="muted">Keeping the result in this browser needs JavaScript, which is off or still loading.</p>;

  const thisOne = kept !== null && kept.date === date && kept.level === level;
  const save = () => {
    const next: KeptCheck = { level: level as SafetyLevel, date, ...(level === "see-professional" && agreed ? { professionalAgreedAt: new Date().toISOString() } : {}) };
    try {
      localStorage.setItem(KEPT_CHECK_KEY, JSON.stringify(next));
      setKept(next);
      setStatus("Kept in this browser: the timer will use this result for six months.");
    } catch {
      setStatus("This browser would not let us keep it (private mode or storage turned off).");
    }
  };
  const forget = () => {
    localStorage.removeItem(KEPT_CHECK_KEY);
    setKept(null);
    setStatus("Forgotten: this browser no longer keeps a safety-check result.");
  };

  return (
    <div class="safety-remember">
      {level === "see-professional" && !thisOne && (
        <label class="check" style="display:flex;gap:0.5rem;align-items:center;font-weight:400;margin:0.5rem 0">
          <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} /> A healthcare professional who knows my health has already agreed that I may use a mat.
        </label>
      )}
      {thisOne ? (
        <button type="button" class="secondary" onClick={forget}>
          Forget the result kept in this browser
        </button>
      ) : (
        <button type="button" onClick={save}>
          Remember this result in this browser
        </button>
      )}
      <p class="muted">Only the overall result and the date are kept, in this browser's storage; your answers are not. Nothing is sent to us.</p>
      <p role="status">{status}</p>
    </div>
  );
}
