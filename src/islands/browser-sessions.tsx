/**
 * Sessions kept in this browser, on Today and the session log: the timer's sessions still to
 * rate, and a visitor's rated sessions, offered for saving once they have signed in (the person
 * chooses: save them, a normal form POST validated like any session, or discard them). The
 * server names the sessions it saved (`clear`), and they are removed from the browser here.
 * Without JavaScript there is nothing kept, so nothing to show.
 */
import { useEffect, useState } from "preact/hooks";
import { keptSessionFields, KEPT_SESSIONS_KEY, parseKeptSessions, removeKeptSessions, type KeptSession } from "../core/sessions/kept";
import { formatDuration, POSITION_TEXT } from "../core/sessions/labels";

interface Props {
  signedIn: boolean;
  /** Ids of kept sessions the server has just saved: forget them. */
  clear: string[];
}

const when = (iso: string) => new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));

function store(list: KeptSession[]): void {
  try {
    if (list.length) localStorage.setItem(KEPT_SESSIONS_KEY, JSON.stringify(list));
    else localStorage.removeItem(KEPT_SESSIONS_KEY);
  } catch {
    // Storage refused: nothing kept, nothing to change.
  }
}

/** The log form's address for a kept session still to rate, everything but the ratings filled in. */
function rateHref(s: KeptSession): string {
  const fields = keptSessionFields(s);
  const q = new URLSearchParams({ kept: s.id, startedAt: s.startedAt, minutes: fields.minutes ?? "", seconds: fields.seconds ?? "", position: s.position, area: s.area, layer: s.layer, matId: s.matId });
  for (const [k, v] of Object.entries(s.ratings)) q.set(k, String(v));
  return `/sessions/new?${q.toString()}`;
}

export default function BrowserSessions({ signedIn, clear }: Props) {
  const [list, setList] = useState<KeptSession[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState("");

  useEffect(() => {
    let kept: KeptSession[] = [];
    try {
      kept = parseKeptSessions(localStorage.getItem(KEPT_SESSIONS_KEY));
    } catch {
      kept = [];
    }
    const left = removeKeptSessions(kept, clear);
    if (left.length !== kept.length) store(left);
    setList(left);
  }, []);

  const toRate = list.filter((s) => !s.rated);
  const rated = list.filter((s) => s.rated);
  if (list.length === 0) return status ? <p role="status">{status}</p> : null;

  const discard = () => {
    store(removeKeptSessions(list, rated.map((s) => s.id)));
    setList(list.filter((s) => !s.rated));
    setConfirming(false);
    setStatus("Discarded: this browser no longer keeps those sessions.");
  };
  const line = (s: KeptSession) => `${when(s.startedAt)}: ${formatDuration(s.durationSeconds)}, ${POSITION_TEXT[s.position].toLowerCase()}`;
  const next = encodeURIComponent("/today");

  return (
    <section class="card browser-sessions" aria-labelledby="kept-title">
      <h2 id="kept-title">{toRate.length ? "Still to rate" : "Kept in this browser"}</h2>
      {toRate.length > 0 && (
        <ul class="kept-list">
          {toRate.map((s) => (
            <li key={s.id}>
              <span>{line(s)}</span>{" "}
              {signedIn ? (
                <a class="button" href={rateHref(s)}>
                  Rate it<span class="visually-hidden"> ({line(s)})</span>
                </a>
              ) : (
                <a href={`/account/sign-in?next=${encodeURIComponent(rateHref(s))}`}>Sign in to rate and keep it</a>
              )}
            </li>
          ))}
        </ul>
      )}
      {rated.length > 0 && (
        <>
          {toRate.length > 0 && <h3>Kept in this browser</h3>}
          <ul class="kept-list">
            {rated.map((s) => (
              <li key={s.id}>
                {line(s)}, discomfort {s.ratings.discomfort}
              </li>
            ))}
          </ul>
          {signedIn ? (
            <>
              <p>
                {rated.length === 1 ? "This session was" : `These ${rated.length} sessions were`} timed before you signed in. Save {rated.length === 1 ? "it" : "them"} to your log?
              </p>
              <form method="post" action="/sessions/import" class="kept-actions">
                <input type="hidden" name="sessions" value={JSON.stringify(rated.map((s) => ({ id: s.id, ...keptSessionFields(s) })))} />
                <button type="submit">Save {rated.length === 1 ? "it" : `all ${rated.length}`} to my account</button>
                {confirming ? (
                  <button type="button" class="secondary" onClick={discard}>
                    Yes, discard {rated.length === 1 ? "it" : "them"}
                  </button>
                ) : (
                  <button type="button" class="secondary" onClick={() => setConfirming(true)}>
                    Discard
                  </button>
                )}
              </form>
            </>
          ) : (
            <p>
              Kept in this browser only. <a href={`/account/sign-up?next=${next}`}>Create a free account</a> or <a href={`/account/sign-in?next=${next}`}>sign in</a> to save {rated.length === 1 ? "it" : "them"} to a log.
            </p>
          )}
        </>
      )}
      <p role="status">{status}</p>
    </section>
  );
}
