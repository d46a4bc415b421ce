/**
 * Sessions kept in this browser, on Today and the session log: the timer's sessions still to
 * rate, and a visitor's rated sessions, offered for saving once they have signed in (the person
 * chooses: save them, a normal form POST validated like any session, or discard them). The
 * server names the sessions it saved (`clear`), and they are removed from the browser here.
 * Sessions a signed-in person rated offline wait here ("saved on this phone") and are sent as
 * soon as there is a connection (src/islands/parts/outbox.ts); sessions waiting for another
 * account are neither shown nor sent. Without JavaScript there is nothing kept, so nothing to show.
 */
import { useEffect, useState } from "preact/hooks";
import { keptSessionFields, removeKeptSessions, type KeptSession } from "../core/sessions/kept";
import { formatDuration, POSITION_TEXT } from "../core/sessions/labels";
import { readKept, sendWaiting, whenOnline, writeKept } from "./parts/outbox";

interface Props {
  signedIn: boolean;
  /** The signed-in person's account id, or null. */
  account: string | null;
  /** Ids of kept sessions the server has just saved: forget them. */
  clear: string[];
}

const when = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));

const store = writeKept;

/** The log form's address for a kept session still to rate, everything but the ratings filled in. */
function rateHref(s: KeptSession): string {
  const fields = keptSessionFields(s);
  const q = new URLSearchParams({
    kept: s.id,
    startedAt: s.startedAt,
    minutes: fields.minutes ?? "",
    seconds: fields.seconds ?? "",
    position: s.position,
    area: s.area,
    layer: s.layer,
    matId: s.matId,
  });
  for (const [k, v] of Object.entries(s.ratings)) q.set(k, String(v));
  return `/sessions/new?${q.toString()}`;
}

/** The kept sessions this page deals with: none waiting for another account. */
const visible = (list: KeptSession[], account: string | null) =>
  list.filter((s) => s.waitingFor === null || s.waitingFor === account);

export default function BrowserSessions({ signedIn, account, clear }: Props) {
  const [list, setList] = useState<KeptSession[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState("");

  useEffect(() => {
    const kept = readKept();
    const left = removeKeptSessions(kept, clear);
    if (left.length !== kept.length) store(left);
    setList(visible(left, account));
    // Sessions rated offline go to the log as soon as there is a connection.
    return whenOnline(() => {
      void sendWaiting(account).then((r) => {
        if (!r.sent.length && !r.refused.length) return;
        setList(visible(readKept(), account));
        const n = r.sent.length;
        setStatus(
          `${n === 1 ? "1 session" : `${n} sessions`} saved on this phone ${n === 1 ? "was" : "were"} sent and ${n === 1 ? "is" : "are"} now in your log.${r.refused.length ? " One or more could not be saved as they were: rate them again below." : ""}`,
        );
      });
    });
  }, []);

  const waiting = list.filter((s) => s.waitingFor !== null);
  const toRate = list.filter((s) => !s.rated);
  const rated = list.filter((s) => s.rated && s.waitingFor === null);
  if (list.length === 0) return status ? <p role="status">{status}</p> : null;

  const discard = () => {
    store(
      removeKeptSessions(
        list,
        rated.map((s) => s.id),
      ),
    );
    setList(list.filter((s) => !s.rated));
    setConfirming(false);
    setStatus("Discarded: this browser no longer keeps those sessions.");
  };
  const line = (s: KeptSession) =>
    `${when(s.startedAt)}: ${formatDuration(s.durationSeconds)}, ${POSITION_TEXT[s.position].toLowerCase()}`;

  return (
    <section class="card browser-sessions" aria-labelledby="kept-title">
      <h2 id="kept-title">
        {waiting.length ? "Waiting to be sent" : toRate.length ? "Still to rate" : "Kept in this browser"}
      </h2>
      {waiting.length > 0 && (
        <>
          <p>Saved on this phone — will be sent when you are back online.</p>
          <ul class="kept-list">
            {waiting.map((s) => (
              <li key={s.id}>
                {line(s)}, discomfort {s.ratings.discomfort}
              </li>
            ))}
          </ul>
          {toRate.length > 0 && <h3>Still to rate</h3>}
        </>
      )}
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
          {(toRate.length > 0 || waiting.length > 0) && <h3>Kept in this browser</h3>}
          <ul class="kept-list">
            {rated.map((s) => (
              <li key={s.id}>
                {line(s)}, discomfort {s.ratings.discomfort}
              </li>
            ))}
          </ul>
          <SaveOrDiscard
            rated={rated}
            signedIn={signedIn}
            confirming={confirming}
            onAskDiscard={() => setConfirming(true)}
            onDiscard={discard}
          />
        </>
      )}
      <p role="status">{status}</p>
    </section>
  );
}

/** Sessions timed before signing in: save them to the log or discard them; a visitor is invited to sign in. */
function SaveOrDiscard(props: {
  rated: KeptSession[];
  signedIn: boolean;
  confirming: boolean;
  onAskDiscard: () => void;
  onDiscard: () => void;
}) {
  const { rated, signedIn, confirming } = props;
  const next = encodeURIComponent("/today");
  return signedIn ? (
    <>
      <p>
        {rated.length === 1 ? "This session was" : `These ${rated.length} sessions were`} timed before you signed in.
        Save {rated.length === 1 ? "it" : "them"} to your log?
      </p>
      <form method="post" action="/sessions/import" class="kept-actions">
        <input
          type="hidden"
          name="sessions"
          value={JSON.stringify(rated.map((s) => ({ id: s.id, ...keptSessionFields(s) })))}
        />
        <button type="submit">Save {rated.length === 1 ? "it" : `all ${rated.length}`} to my account</button>
        {confirming ? (
          <button type="button" class="secondary" onClick={props.onDiscard}>
            Yes, discard {rated.length === 1 ? "it" : "them"}
          </button>
        ) : (
          <button type="button" class="secondary" onClick={props.onAskDiscard}>
            Discard
          </button>
        )}
      </form>
    </>
  ) : (
    <p>
      Kept in this browser only. <a href={`/account/sign-up?next=${next}`}>Create a free account</a> or{" "}
      <a href={`/account/sign-in?next=${next}`}>sign in</a> to save {rated.length === 1 ? "it" : "them"} to a log.
    </p>
  );
}
