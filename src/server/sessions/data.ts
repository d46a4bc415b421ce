/**
 * What the session pages, the timer and the plan need for GET: the mats a person can pick,
 * the timer's gate from their latest saved safety check, and the session log ready to render.
 * @module
 */
import { getCollection } from "astro:content";
import { formatDate } from "../../core/datetime";
import { ownMatId, parseOwnMatId, type MatOption } from "../../core/mats/user-mat";
import { describeSession } from "../../core/sessions/labels";
import { LAYERS, MAX_SESSION_MINUTES, POSITIONS, SESSION_AREAS, type Layer, type Position, type SessionArea } from "../../core/sessions/options";
import { getSessionFormValues, type MatSessionRecord } from "../../core/sessions/schema";
import { summarizeChanges, summarizeDiscomfort } from "../../core/sessions/summary";
import { getTimerGate, type TimerGate } from "../../core/timer/gate";
import { renderChangeChart, renderDiscomfortChart } from "../charts/sessions";
import { getDb, type Db } from "../db/client";
import { listMatSessions, requireMatSession } from "../repositories/mat-sessions";
import { getLatestSafetyCheck, type SavedSafetyCheck } from "../repositories/safety-checks";
import { listUserMats } from "../repositories/user-mats";

/** The person's own mats first (when signed in), then the catalogue's mats, by name. */
export async function getMatOptions(db?: Db, userId?: string): Promise<MatOption[]> {
  const mats = await getCollection("mats");
  const catalogue = mats.map((m) => ({ id: m.id, name: m.data.name })).sort((a, b) => a.name.localeCompare(b.name));
  const own = db && userId ? (await listUserMats(db, userId)).map((m) => ({ id: ownMatId(m.id), name: `${m.name} (your mat)` })) : [];
  return [...own, ...catalogue];
}

/** The mats a visitor or a signed-in person can pick. */
export async function loadMatOptions(userId: string | null): Promise<MatOption[]> {
  return userId ? getMatOptions(await getDb(), userId) : getMatOptions();
}

/** A session's mat in words: its name, or a note when the person has since removed their mat. */
export function describeMat(matId: string | null, names: ReadonlyMap<string, string>): string | null {
  if (!matId) return null;
  return names.get(matId) ?? (parseOwnMatId(matId) ? "a mat you have since removed" : matId);
}

/** The latest saved check of a signed-in person and the gate it gives the timer. */
export async function getSavedGate(db: Db, userId: string, now: Date): Promise<{ check: SavedSafetyCheck | null; gate: TimerGate }> {
  const check = await getLatestSafetyCheck(db, userId);
  return { check, gate: getTimerGate(check, now) };
}

/** The saved gate of a signed-in person, or null for a visitor (whose result is kept in the browser). */
export async function loadSavedGate(userId: string | null, now = new Date()): Promise<{ check: SavedSafetyCheck | null; gate: TimerGate } | null> {
  return userId ? getSavedGate(await getDb(), userId, now) : null;
}

/** One session of the log, in words. */
export interface SessionLine {
  id: string;
  when: string;
  summary: string;
  discomfort: number;
  /** Before → after, per feeling. */
  changes: { label: string; before: number; after: number }[];
  note: string | null;
}

function toLine(s: MatSessionRecord, matNames: ReadonlyMap<string, string>): SessionLine {
  return {
    id: s.id,
    when: formatDate(s.startedAt, "dateTime"),
    summary: describeSession(s, describeMat(s.matId, matNames)),
    discomfort: s.discomfort,
    changes: [
      { label: "Pain", before: s.painBefore, after: s.painAfter },
      { label: "Tension", before: s.tensionBefore, after: s.tensionAfter },
      { label: "Stress", before: s.stressBefore, after: s.stressAfter },
      { label: "Relaxation", before: s.relaxationBefore, after: s.relaxationAfter },
    ],
    note: s.note,
  };
}

/** GET /sessions: the log, newest first, with its two charts and their sentences. */
export async function loadSessionLog(userId: string) {
  const db = await getDb();
  const sessions = await listMatSessions(db, userId);
  const matNames = new Map((await getMatOptions(db, userId)).map((m) => [m.id, m.name]));
  const discomfort = summarizeDiscomfort(sessions);
  const changes = summarizeChanges(sessions);
  const charts =
    sessions.length > 0
      ? {
          discomfort: { sentence: discomfort.sentence, svg: renderDiscomfortChart(discomfort.points, { label: "Chart: discomfort on the mat in each session", description: discomfort.sentence }) },
          changes: { sentence: changes.sentence, svg: renderChangeChart(changes.changes, { label: "Chart: average ratings before and after a session", description: changes.sentence }) },
        }
      : null;
  return { lines: sessions.map((s) => toLine(s, matNames)), charts };
}

/** GET /sessions/<id>: the session in words and its form values; NotFoundError when it is not the person's. */
export async function loadSession(userId: string, id: string) {
  const session = await requireMatSession(await getDb(), userId, id);
  return { session, when: formatDate(session.startedAt, "dateTime"), values: getSessionFormValues(session) };
}

/** Query fields the timer (without JavaScript) or a link may prefill in the log form. */
const PREFILL = ["minutes", "seconds", "position", "area", "layer", "matId", "painBefore", "tensionBefore", "stressBefore", "relaxationBefore"];

/** GET /sessions/new: the form's starting values from the query, starting now. */
export function getNewSessionValues(query: URLSearchParams, now: Date): Record<string, string> {
  const values: Record<string, string> = {};
  for (const k of PREFILL) {
    const v = query.get(k);
    if (v !== null) values[k] = v;
  }
  values.startedAt = now.toISOString().slice(0, 16);
  return values;
}

/** The timer's starting set-up: what a link (the plan, Today) asks for, where valid, else gentle defaults. */
export function getTimerDefaults(q: URLSearchParams, mats: readonly MatOption[]): { minutes: number; seconds: number; position: Position; area: SessionArea; layer: Layer; matId: string } {
  const pick = <T extends string>(value: string | null, options: readonly T[], fallback: T): T => (options.includes(value as T) ? (value as T) : fallback);
  const whole = (value: string | null, max: number, fallback: number) => (value !== null && /^\d{1,2}$/.test(value) && Number(value) <= max ? Number(value) : fallback);
  const mat = q.get("mat");
  return {
    minutes: whole(q.get("minutes"), MAX_SESSION_MINUTES, 10),
    seconds: whole(q.get("seconds"), 59, 0),
    position: pick(q.get("position"), POSITIONS, "lying"),
    area: pick(q.get("area"), SESSION_AREAS, "back"),
    layer: pick(q.get("layer"), LAYERS, "clothing"),
    matId: mat !== null && mats.some((m) => m.id === mat) ? mat : "",
  };
}
