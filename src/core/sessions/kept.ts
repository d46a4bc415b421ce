/**
 * Sessions kept in the browser: a visitor's finished sessions (until they sign in and choose to
 * save them), and anyone's session that the timer finished but that was not rated yet. Plain
 * functions over a list (localStorage holds it as JSON); the islands do the reading and writing.
 * Nothing here is trusted by the server: saving goes through the session form's validation.
 * @module
 */
import { parseStoredList, putById, removeByIds } from "../stored-list";
import {
  LAYERS,
  MAX_SESSION_MINUTES,
  POSITIONS,
  RATINGS,
  SESSION_AREAS,
  type Layer,
  type Position,
  type RatingName,
  type SessionArea,
} from "./options";

/** Where the list lives in localStorage. */
export const KEPT_SESSIONS_KEY = "matwise.sessions";
/** At most this many are kept; the oldest go first. */
export const MAX_KEPT_SESSIONS = 30;

export interface KeptSession {
  /** Made in the browser; letters, digits and dashes. */
  id: string;
  /** When it started, ISO 8601 (UTC). */
  startedAt: string;
  durationSeconds: number;
  position: Position;
  area: SessionArea;
  layer: Layer;
  matId: string;
  /** The ratings given so far, 0–10 each. */
  ratings: Partial<Record<RatingName, number>>;
  note: string;
  /** Rated (discomfort given) and kept for saving, or still to rate. */
  rated: boolean;
  /**
   * Rated by a signed-in person without a connection: the id of their account, to which it is
   * sent when the connection returns (and to no other); null otherwise (decision 091).
   */
  waitingFor: string | null;
}

const isId = (v: unknown): v is string => typeof v === "string" && /^[a-z0-9-]{1,40}$/.test(v);
const oneOf = <T extends string>(v: unknown, options: readonly T[]): v is T =>
  typeof v === "string" && (options as readonly string[]).includes(v);

/** One kept session, or null when anything about it is off. */
function readOne(v: unknown): KeptSession | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  const seconds = o.durationSeconds;
  if (!isId(o.id) || typeof o.startedAt !== "string" || Number.isNaN(Date.parse(o.startedAt))) return null;
  if (
    typeof seconds !== "number" ||
    !Number.isInteger(seconds) ||
    seconds < 1 ||
    seconds > MAX_SESSION_MINUTES * 60 * 2
  )
    return null;
  if (!oneOf(o.position, POSITIONS) || !oneOf(o.area, SESSION_AREAS) || !oneOf(o.layer, LAYERS)) return null;
  const ratings: Partial<Record<RatingName, number>> = {};
  const given = typeof o.ratings === "object" && o.ratings !== null ? (o.ratings as Record<string, unknown>) : {};
  for (const r of RATINGS) {
    const x = given[r];
    if (typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= 10) ratings[r] = x;
  }
  return {
    id: o.id,
    startedAt: new Date(o.startedAt).toISOString(),
    durationSeconds: seconds,
    position: o.position,
    area: o.area,
    layer: o.layer,
    matId: typeof o.matId === "string" && o.matId.length <= 100 ? o.matId : "",
    ratings,
    note: typeof o.note === "string" ? o.note.slice(0, 1000) : "",
    rated: o.rated === true && ratings.discomfort !== undefined,
    waitingFor:
      o.rated === true &&
      ratings.discomfort !== undefined &&
      typeof o.waitingFor === "string" &&
      /^[A-Za-z0-9_-]{1,100}$/.test(o.waitingFor)
        ? o.waitingFor
        : null,
  };
}

/** The kept list from its stored text; unreadable entries are dropped, the newest kept. */
export const parseKeptSessions = (raw: string | null | undefined): KeptSession[] =>
  parseStoredList(raw, readOne, MAX_KEPT_SESSIONS);

/** The list with `session` added or replaced (same id), oldest dropped past the limit. */
export const putKeptSession = (list: readonly KeptSession[], session: KeptSession): KeptSession[] =>
  putById(list, session, MAX_KEPT_SESSIONS);

/** The list without the given ids. */
export const removeKeptSessions = (list: readonly KeptSession[], ids: readonly string[]): KeptSession[] =>
  removeByIds(list, ids);

/** Sessions waiting to be sent to `account`, and every other one. */
export function splitWaiting(
  list: readonly KeptSession[],
  account: string | null,
): { waiting: KeptSession[]; others: KeptSession[] } {
  const waiting = account ? list.filter((s) => s.waitingFor === account) : [];
  return { waiting, others: list.filter((s) => !waiting.includes(s)) };
}

/**
 * A new id for a kept session, from the time and a random number (both passed in); the islands
 * use a random UUID where the browser offers one, and this where it does not.
 */
export function makeKeptId(nowMs: number, random: number): string {
  return `k${nowMs.toString(36)}-${Math.floor(random * 36 ** 6).toString(36)}`;
}

/** The session form's fields for a kept session: what the save posts, validated like any session. */
export function keptSessionFields(s: KeptSession): Record<string, string> {
  const out: Record<string, string> = {
    startedAt: s.startedAt,
    minutes: String(Math.floor(s.durationSeconds / 60)),
    seconds: String(s.durationSeconds % 60),
    position: s.position,
    area: s.area,
    layer: s.layer,
    matId: s.matId,
    note: s.note,
  };
  for (const r of RATINGS) out[r] = s.ratings[r] === undefined ? "" : String(s.ratings[r]);
  return out;
}

/** Why a kept session could not be saved: its start is later than now, something it needs is missing, or another answer is refused. */
export const KEPT_REFUSALS = ["future", "incomplete", "invalid"] as const;
export type KeptRefusal = (typeof KEPT_REFUSALS)[number];

/** The words for each reason, as Today says them after saving. */
export const KEPT_REFUSAL_TEXT: Record<KeptRefusal, string> = {
  future:
    "its start is later than now (check the clock of the phone it was made on, and the time zone of your account)",
  incomplete: "it is not complete enough to save (each needs its start, length and discomfort)",
  invalid: "one of its answers cannot be saved as it is",
};

/**
 * The reason for the issues the session form's validation gave `fields`: a start in the future, a
 * field left empty, or another answer refused.
 */
export function getKeptRefusal(
  issues: readonly { path: readonly (string | number)[]; message: string }[],
  fields: Readonly<Record<string, unknown>>,
): KeptRefusal {
  if (issues.some((i) => i.path[0] === "startedAt" && /future/i.test(i.message))) return "future";
  const empty = (name: unknown) => typeof name === "string" && (fields[name] === undefined || fields[name] === "");
  if (issues.some((i) => empty(i.path[0]))) return "incomplete";
  return "invalid";
}
