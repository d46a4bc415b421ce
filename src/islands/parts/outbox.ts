/**
 * Sessions rated without a connection wait in this browser (the kept list in localStorage, with
 * `waitingFor` set to the account) and are sent here when the connection returns (decision 091).
 * Each is posted to the log form exactly as the rating form would post it, with its kept id as
 * the idempotency key, so a session sent twice (two tabs, an answer lost on the way) is stored
 * once. A session is only ever sent to the account it was rated in. Experiment check-ins made
 * offline wait the same way in their own list (`matwise.outbox`, src/core/offline/outbox.ts).
 */
import { OUTBOX_KEY, parseOutbox, putWaiting, removeWaiting, type WaitingPost } from "../../core/offline/outbox";
import {
  keptSessionFields,
  KEPT_SESSIONS_KEY,
  parseKeptSessions,
  putKeptSession,
  removeKeptSessions,
  splitWaiting,
  type KeptSession,
} from "../../core/sessions/kept";

/** What one attempt did: sessions now in the log, and sessions the log refused (to be rated again by hand). */
export interface SendResult {
  sent: string[];
  refused: string[];
}

export function readKept(): KeptSession[] {
  try {
    return parseKeptSessions(localStorage.getItem(KEPT_SESSIONS_KEY));
  } catch {
    return [];
  }
}

export function writeKept(list: readonly KeptSession[]): void {
  try {
    if (list.length) localStorage.setItem(KEPT_SESSIONS_KEY, JSON.stringify(list));
    else localStorage.removeItem(KEPT_SESSIONS_KEY);
  } catch {
    // Storage refused (private mode, full): nothing kept, nothing to change.
  }
}

/** Adds or replaces one kept session; false when the browser would not store it. */
export function keepSession(session: KeptSession): boolean {
  try {
    localStorage.setItem(KEPT_SESSIONS_KEY, JSON.stringify(putKeptSession(readKept(), session)));
    return true;
  } catch {
    return false;
  }
}

/** A new id for a record made in this browser: a random UUID (the form's idempotency key). */
export function newRecordId(fallback: () => string): string {
  try {
    return crypto.randomUUID();
  } catch {
    return fallback();
  }
}

type Outcome = "sent" | "refused" | "later";

async function sendOne(session: KeptSession): Promise<Outcome> {
  const body = new URLSearchParams({ ...keptSessionFields(session), kept: session.id });
  let response: Response;
  try {
    response = await fetch("/sessions/new", { method: "POST", body, credentials: "same-origin" });
  } catch {
    return "later"; // still no connection
  }
  // Saved: the log form answers with a redirect to the log, which names the session.
  if (response.ok && new URL(response.url).pathname === "/sessions") return "sent";
  // Refused by the form's rules (a mat since removed, say): the person rates it again by hand.
  if (response.status === 400) return "refused";
  // Signed out (the answer is the sign-in page), busy or down: try again later.
  return "later";
}

let sending: Promise<SendResult> | null = null;

/**
 * Sends every session waiting for `account`, one after another, and updates the kept list: sent
 * ones are removed, refused ones go back to "still to rate". Stops at the first that cannot be
 * sent now. Calls made while one is running share it.
 */
export function sendWaiting(account: string | null): Promise<SendResult> {
  if (!account) return Promise.resolve({ sent: [], refused: [] });
  sending ??= (async () => {
    const result: SendResult = { sent: [], refused: [] };
    try {
      for (const session of splitWaiting(readKept(), account).waiting) {
        const outcome = await sendOne(session);
        if (outcome === "later") break;
        result[outcome].push(session.id);
      }
      let list = removeKeptSessions(readKept(), result.sent);
      for (const s of list)
        if (result.refused.includes(s.id)) list = putKeptSession(list, { ...s, rated: false, waitingFor: null });
      if (result.sent.length || result.refused.length) writeKept(list);
      return result;
    } finally {
      sending = null;
    }
  })();
  return sending;
}

/** Runs `send` now when the browser is online, and each time the connection comes back; returns the clean-up. */
export function whenOnline(send: () => void): () => void {
  if (navigator.onLine) send();
  window.addEventListener("online", send);
  return () => window.removeEventListener("online", send);
}

export function readWaitingPosts(): WaitingPost[] {
  try {
    return parseOutbox(localStorage.getItem(OUTBOX_KEY));
  } catch {
    return [];
  }
}

function writeWaitingPosts(list: readonly WaitingPost[]): void {
  try {
    if (list.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(list));
    else localStorage.removeItem(OUTBOX_KEY);
  } catch {
    // Storage refused: nothing to change.
  }
}

/** Keeps a form post to send later; false when the browser would not store it. */
export function keepPost(post: WaitingPost): boolean {
  try {
    localStorage.setItem(OUTBOX_KEY, JSON.stringify(putWaiting(readWaitingPosts(), post)));
    return true;
  } catch {
    return false;
  }
}

async function sendPost(post: WaitingPost): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(post.action, {
      method: "POST",
      body: new URLSearchParams({ ...post.fields, key: post.id }),
      credentials: "same-origin",
    });
  } catch {
    return "later";
  }
  // Saved: the check-in answers with a redirect to its experiment.
  if (response.ok && new URL(response.url).pathname === post.action.replace(/\/check-in$/, "")) return "sent";
  // Refused for good (the day has passed, the experiment ended): the page said why; it is dropped.
  if (response.status >= 400 && response.status < 500 && response.status !== 429) return "refused";
  return "later";
}

let sendingPosts: Promise<SendResult> | null = null;

/** Sends every check-in waiting for `account`, in order, and forgets the ones sent or refused. */
export function sendWaitingPosts(account: string | null): Promise<SendResult> {
  if (!account) return Promise.resolve({ sent: [], refused: [] });
  sendingPosts ??= (async () => {
    const result: SendResult = { sent: [], refused: [] };
    try {
      for (const post of readWaitingPosts().filter((p) => p.account === account)) {
        const outcome = await sendPost(post);
        if (outcome === "later") break;
        result[outcome].push(post.id);
      }
      if (result.sent.length || result.refused.length)
        writeWaitingPosts(removeWaiting(readWaitingPosts(), [...result.sent, ...result.refused]));
      return result;
    } finally {
      sendingPosts = null;
    }
  })();
  return sendingPosts;
}
