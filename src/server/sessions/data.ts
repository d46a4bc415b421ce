/**
 * What the session pages and the timer need for GET: the mats a person can pick, the timer's
 * starting set-up, and the session log ready to render.
 * @module
 */
import { DEFAULT_CLOCK, formatDate, getLocalWallTime, type Clock } from "../../core/datetime";
import { pageWindow, parsePage } from "../../core/paging";
import { ownMatId, parseOwnMatId, type MatOption } from "../../core/mats/user-mat";
import { describeSession, type SessionLine } from "../../core/sessions/labels";
import {
  LAYERS,
  MAX_SESSION_MINUTES,
  POSITIONS,
  SESSION_AREAS,
  type Layer,
  type Position,
  type SessionArea,
} from "../../core/sessions/options";
import { getSessionFormValues, type MatSessionRecord } from "../../core/sessions/schema";
import { binDiscomfort, describeChanges, describeDiscomfort } from "../../core/sessions/summary";
import { renderChangeChart, renderDiscomfortChart } from "../charts/sessions";
import type { Db } from "../db/client";
import { selectBatch } from "../db/batch";
import {
  countNewerMatSessions,
  matSessionsPageQuery,
  requireMatSession,
  sessionTrendsQueries,
  toRecord,
  toSessionTrends,
} from "../repositories/mat-sessions";
import { listUserMats, toUserMat, userMatsQuery } from "../repositories/user-mats";
import type { UserMat } from "../../core/mats/user-mat";

/** The person's own mats first (when signed in), then the catalogue's mats, by name. */
export async function getMatOptions(
  db: Db,
  userId: string | null,
  catalogue: readonly MatOption[],
): Promise<MatOption[]> {
  return matOptionsWith(userId ? await listUserMats(db, userId) : [], catalogue);
}

/** The mat options with the person's own mats already read (`own`), then the catalogue's (`catalogue`, from the page). */
export function matOptionsWith(
  own: readonly Pick<UserMat, "id" | "name">[],
  catalogue: readonly MatOption[],
): MatOption[] {
  return [...own.map((m) => ({ id: ownMatId(m.id), name: `${m.name} (your mat)` })), ...catalogue];
}

/** The mats a visitor or a signed-in person can pick. */
export async function loadMatOptions(
  db: Db,
  userId: string | null,
  catalogue: readonly MatOption[],
): Promise<MatOption[]> {
  return getMatOptions(db, userId, catalogue);
}

/** A session's mat in words: its name, or a note when the person has since removed their mat. */
export function describeMat(matId: string | null, names: ReadonlyMap<string, string>): string | null {
  if (!matId) return null;
  return names.get(matId) ?? (parseOwnMatId(matId) ? "a mat you have since removed" : matId);
}

export type { SessionLine } from "../../core/sessions/labels";

const MEASURE_LABELS = [
  ["Pain", "pain"],
  ["Tension", "tension"],
  ["Stress", "stress"],
  ["Relaxation", "relaxation"],
] as const;

/** A session in words, its time on `clock`. */
export function toSessionLine(
  s: MatSessionRecord,
  matNames: ReadonlyMap<string, string>,
  clock: Clock = DEFAULT_CLOCK,
): SessionLine {
  const shown = (v: number | null) => (v === null ? "–" : String(v));
  return {
    id: s.id,
    when: formatDate(s.startedAt, "dateTime", clock),
    summary: describeSession(s, describeMat(s.matId, matNames)),
    discomfort: s.discomfort,
    changes: MEASURE_LABELS.flatMap(([label, m]) => {
      const before = s[`${m}Before`];
      const after = s[`${m}After`];
      return before === null && after === null ? [] : [{ label, before: shown(before), after: shown(after) }];
    }),
    note: s.note,
  };
}

/** Sessions on a page of the log. */
export const LOG_PAGE_SIZE = 20;

/** Which page of the log to show: `?page=N`, or the page that holds a session just saved or changed. */
export interface LogPageRequest {
  page: string | null;
  /** A session id the page should show (after saving or editing it). */
  showing: string | null;
}

/** The page number asked for, 1 when absent or not a plain whole number. */
const CHART_TEXT = {
  session: "Chart: discomfort on the mat in each session",
  week: "Chart: average discomfort on the mat each week",
  month: "Chart: average discomfort on the mat each month",
} as const;
const BIN_NOTE = {
  session: null,
  week: "Each point is the average of a week.",
  month: "Each point is the average of a month.",
} as const;

/**
 * GET /sessions: one page of the log, newest first, with the two charts and their sentences,
 * times on the person's clock. The charts read only the ratings of every session and draw a
 * bounded series (a point a session, week or month), so the page's size and time stay flat as
 * the history grows; the list shows `LOG_PAGE_SIZE` sessions with links to newer and older.
 */
export async function loadSessionLog(
  db: Db,
  userId: string,
  catalogue: readonly MatOption[],
  clock: Clock = DEFAULT_CLOCK,
  request: LogPageRequest = { page: null, showing: null },
) {
  // One round trip for the tally, the person's mats and the page asked for (issue 27); a second
  // only to find the page of a session just saved, or when the page asked for is past the end.
  const newer =
    request.page === null && request.showing !== null ? await countNewerMatSessions(db, userId, request.showing) : null;
  const asked = newer !== null ? Math.floor(newer / LOG_PAGE_SIZE) + 1 : parsePage(request.page);
  const guess = (asked - 1) * LOG_PAGE_SIZE;
  const rows = await selectBatch(db, {
    ...sessionTrendsQueries(db, userId, clock.timeZone),
    mats: userMatsQuery(db, userId),
    page: matSessionsPageQuery(db, userId, { offset: guess, limit: LOG_PAGE_SIZE }),
  });
  const trends = toSessionTrends(rows);
  const matOptions = matOptionsWith(rows.mats.map(toUserMat), catalogue);
  const total = trends.count;
  const { page, pages, offset, first } = pageWindow(total, LOG_PAGE_SIZE, asked);
  const sessions =
    total === 0
      ? []
      : offset === guess
        ? rows.page.map(toRecord)
        : (await matSessionsPageQuery(db, userId, { offset, limit: LOG_PAGE_SIZE })).map(toRecord);
  const matNames = new Map(matOptions.map((m) => [m.id, m.name]));
  const sentence = describeDiscomfort(trends);
  const series = binDiscomfort(trends);
  const changes = describeChanges(trends);
  const charts =
    total > 0
      ? {
          discomfort: {
            sentence,
            note: BIN_NOTE[series.unit],
            svg: renderDiscomfortChart(series, { label: CHART_TEXT[series.unit], description: sentence }),
          },
          changes:
            changes.changes.length > 0
              ? {
                  sentence: changes.sentence,
                  svg: renderChangeChart(changes.changes, {
                    label: "Chart: average ratings before and after a session",
                    description: changes.sentence,
                  }),
                }
              : { sentence: changes.sentence, svg: null },
        }
      : null;
  return {
    lines: sessions.map((s) => toSessionLine(s, matNames, clock)),
    charts,
    paging: {
      total,
      page,
      pages,
      /** The number of the page's first (newest) session, counting the oldest as 1. */
      topNumber: total - (page - 1) * LOG_PAGE_SIZE,
      /** "Sessions 21 to 40 of 1,100", or null when one page holds them all. */
      range:
        pages > 1
          ? `Sessions ${first.toLocaleString("en-GB")} to ${(first + sessions.length - 1).toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")}`
          : null,
      newerHref: page > 1 ? (page === 2 ? "/sessions" : `/sessions?page=${page - 1}`) : null,
      olderHref: page < pages ? `/sessions?page=${page + 1}` : null,
    },
  };
}

/** GET /sessions/<id>: the session in words and its form values on the person's clock; NotFoundError when it is not the person's. */
export async function loadSession(db: Db, userId: string, id: string, clock: Clock = DEFAULT_CLOCK) {
  const session = await requireMatSession(db, userId, id);
  return {
    session,
    when: formatDate(session.startedAt, "dateTime", clock),
    values: getSessionFormValues(session, clock.timeZone),
  };
}

/** Query fields the timer (without JavaScript), Today or a link may prefill in the log form. */
const PREFILL = [
  "minutes",
  "seconds",
  "position",
  "area",
  "layer",
  "matId",
  "painBefore",
  "tensionBefore",
  "stressBefore",
  "relaxationBefore",
  "kept",
];

/**
 * GET /sessions/new: the form's starting values from the query. The start is `startedAt` when
 * a link gives one (a full ISO time, from a session kept in the browser), else now, shown on the
 * person's clock; without JavaScript the timer's form sends the length, so "now minus the length"
 * is when the session began.
 */
export function getNewSessionValues(
  query: URLSearchParams,
  now: Date,
  clock: Clock = DEFAULT_CLOCK,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const k of PREFILL) {
    const v = query.get(k);
    if (v !== null && v.length <= 100) values[k] = v;
  }
  const given = Date.parse(query.get("startedAt") ?? "");
  const lasted = (Number(values.minutes) || 0) * 60 + (Number(values.seconds) || 0);
  const began = Number.isNaN(given)
    ? new Date(now.getTime() - Math.min(lasted, MAX_SESSION_MINUTES * 60) * 1000)
    : new Date(given);
  values.startedAt = getLocalWallTime(began, clock.timeZone);
  return values;
}

/** The timer's starting set-up: what a link (the plan, Today) asks for, where valid, else gentle defaults. */
export function getTimerDefaults(
  q: URLSearchParams,
  mats: readonly MatOption[],
): { minutes: number; seconds: number; position: Position; area: SessionArea; layer: Layer; matId: string } {
  const pick = <T extends string>(value: string | null, options: readonly T[], fallback: T): T =>
    options.includes(value as T) ? (value as T) : fallback;
  const whole = (value: string | null, max: number, fallback: number) =>
    value !== null && /^\d{1,2}$/.test(value) && Number(value) <= max ? Number(value) : fallback;
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
