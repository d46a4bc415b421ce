/**
 * What Today needs for GET: who is asking (signed in, or a visitor with a plan kept in this
 * browser), their clock, their plan, safety result and sessions, and the cards built from them.
 * @module
 */
import { getLocalDate, type Clock } from "../../core/datetime";
import { chooseResult, getTimerGate } from "../../core/timer/gate";
import type { CurrentUser } from "../auth/session";
import { selectBatch } from "../db/batch";
import type { Db } from "../db/client";
import { hasKeptPlan, loadOwnPlan, ownPlanOf } from "../plan/data";
import { experimentsQuery, toExperiment } from "../repositories/experiments";
import { matSessionsPageQuery, sessionTrendsQueries, toRecord, toSessionTrends } from "../repositories/mat-sessions";
import { tallySessions } from "../../core/sessions/summary";
import { getPlan, planQuery, toSavedPlan } from "../repositories/plans";
import { latestSafetyCheckQuery, toSaved } from "../repositories/safety-checks";
import { userMatsQuery, toUserMat } from "../repositories/user-mats";
import type { MatOption } from "../../core/mats/user-mat";
import { loadCurrentResult, readKeptCheck } from "../safety/data";
import type { KeptCheck } from "../../core/timer/gate";
import { matOptionsWith } from "../sessions/data";
import { loadExperimentsToday } from "../experiments/data";
import { TODAY_CARDS, type TodayCard, type TodayContext } from "./cards";

/** The ids the session form or the import names in `kept-saved`: only the shape kept ids have. */
export function parseKeptSaved(value: string | null): string[] {
  return (value ?? "")
    .split(",")
    .filter((id) => /^[a-z0-9-]{1,40}$/.test(id))
    .slice(0, 50);
}

/** What Today reads from the database for a signed-in person, in one round trip (issue 27). */
async function readSignedIn(db: Db, request: Request, user: CurrentUser, catalogue: readonly MatOption[], now: Date) {
  const rows = await selectBatch(db, {
    plan: planQuery(db, user.id),
    check: latestSafetyCheckQuery(db, user.id),
    ...sessionTrendsQueries(db, user.id, user.timeZone, 30),
    recent: matSessionsPageQuery(db, user.id, { offset: 0, limit: 5 }),
    mats: userMatsQuery(db, user.id),
    experiments: experimentsQuery(db, user.id),
  });
  const check = rows.check[0];
  const savedPlan = rows.plan[0];
  const recent = rows.recent.map(toRecord);
  return {
    plan: ownPlanOf(request, user, savedPlan ? toSavedPlan(savedPlan) : null),
    result: chooseResult(check ? toSaved(check) : null, readKeptCheck(request), now),
    trends: toSessionTrends(rows),
    recent,
    matNames: new Map(
      recent.length ? matOptionsWith(rows.mats.map(toUserMat), catalogue).map((m) => [m.id, m.name]) : [],
    ),
    experiments: rows.experiments.map(toExperiment),
    hasSavedCheck: check !== undefined,
  };
}

/** GET /today: the cards, and whether the person has started (has a plan). */
export async function loadToday(
  db: Db,
  request: Request,
  url: URL,
  user: CurrentUser | null,
  catalogue: readonly MatOption[],
  now = new Date(),
): Promise<{ started: boolean; cards: TodayCard[]; clock: Clock; keptOffer: KeptOffer | null }> {
  const read = user
    ? await readSignedIn(db, request, user, catalogue, now)
    : await Promise.all([loadOwnPlan(db, request, null), loadCurrentResult(db, request, null, now)]).then(
        ([plan, result]) => ({
          plan,
          result,
          trends: null,
          recent: [],
          matNames: new Map<string, string>(),
          experiments: [],
          hasSavedCheck: false,
        }),
      );
  const { plan, result, recent, matNames } = read;
  const clock: Clock = { locale: "en-GB", timeZone: user?.timeZone ?? plan?.timeZone ?? "UTC" };
  const trends = read.trends ?? tallySessions([], clock.timeZone);
  const ctx: TodayContext = {
    signedIn: user !== null,
    account: user?.id ?? null,
    now,
    clock,
    today: getLocalDate(now, clock.timeZone),
    plan,
    result,
    gate: getTimerGate(result, now),
    trends,
    recent,
    matNames,
    keptSaved: parseKeptSaved(url.searchParams.get("kept-saved")),
    experiments: user ? await loadExperimentsToday(db, user.id, now, read.experiments) : [],
  };
  const cards = TODAY_CARDS.map((c) => c.load(ctx)).filter((c): c is TodayCard => c !== null);
  return {
    started: plan !== null,
    cards,
    clock,
    keptOffer: user ? keptOfferOf(request, plan, read.hasSavedCheck) : null,
  };
}

/** What a person who has just signed in still has only in this browser: a plan to offer for saving, a safety result to explain. */
export interface KeptOffer {
  plan: Awaited<ReturnType<typeof loadOwnPlan>>;
  check: KeptCheck | null;
}

/**
 * The plan and safety result this browser kept before the person signed in (issue 24 item 6): the
 * plan is offered for saving like the sessions kept here; the result, which holds no answers, is
 * explained. Null when there is nothing, or the account already has its own.
 */
function keptOfferOf(
  request: Request,
  plan: Awaited<ReturnType<typeof loadOwnPlan>>,
  hasSavedCheck: boolean,
): KeptOffer | null {
  const keptPlan = plan?.source === "kept" ? plan : null;
  const kept = readKeptCheck(request);
  const check = kept && !hasSavedCheck ? kept : null;
  return keptPlan || check ? { plan: keptPlan, check } : null;
}

/**
 * Whether `/` should send this person to Today: a visitor with a plan kept in this browser, or
 * a signed-in person with a saved plan. A request without either cookie costs no database query.
 */
export async function hasStarted(db: Db, request: Request, user: Pick<CurrentUser, "id"> | null): Promise<boolean> {
  if (hasKeptPlan(request)) return true;
  return user ? (await getPlan(db, user.id)) !== null : false;
}
