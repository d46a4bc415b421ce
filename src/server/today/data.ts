/**
 * What Today needs for GET: who is asking (signed in, or a visitor with a plan kept in this
 * browser), their clock, their plan, safety result and sessions, and the cards built from them.
 * @module
 */
import { getLocalDate, type Clock } from "../../core/datetime";
import { getTimerGate } from "../../core/timer/gate";
import type { CurrentUser } from "../auth/session";
import { getDb } from "../db/client";
import { hasKeptPlan, loadOwnPlan } from "../plan/data";
import { listMatSessionsPage, loadSessionTrends } from "../repositories/mat-sessions";
import { tallySessions } from "../../core/sessions/summary";
import { getPlan } from "../repositories/plans";
import { loadCurrentResult, readKeptCheck } from "../safety/data";
import { getLatestSafetyCheck } from "../repositories/safety-checks";
import type { KeptCheck } from "../../core/timer/gate";
import { getMatOptions } from "../sessions/data";
import { loadExperimentsToday } from "../experiments/data";
import { TODAY_CARDS, type TodayCard, type TodayContext } from "./cards";

/** The ids the session form or the import names in `kept-saved`: only the shape kept ids have. */
export function parseKeptSaved(value: string | null): string[] {
  return (value ?? "")
    .split(",")
    .filter((id) => /^[a-z0-9-]{1,40}$/.test(id))
    .slice(0, 50);
}

/** GET /today: the cards, and whether the person has started (has a plan). */
export async function loadToday(request: Request, url: URL, user: CurrentUser | null, now = new Date()): Promise<{ started: boolean; cards: TodayCard[]; clock: Clock; keptOffer: KeptOffer | null }> {
  const [plan, result] = await Promise.all([loadOwnPlan(request, user), loadCurrentResult(request, user?.id ?? null, now)]);
  const clock: Clock = { locale: "en-GB", timeZone: user?.timeZone ?? plan?.timeZone ?? "UTC" };
  const db = user ? await getDb() : null;
  const [trends, recent] = db && user ? await Promise.all([loadSessionTrends(db, user.id, clock.timeZone, 30), listMatSessionsPage(db, user.id, { offset: 0, limit: 5 })]) : [tallySessions([], clock.timeZone), []];
  const matNames = new Map(db && user && recent.length ? (await getMatOptions(db, user.id)).map((m) => [m.id, m.name]) : []);
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
    experiments: user ? await loadExperimentsToday(user.id, now) : [],
  };
  const cards = TODAY_CARDS.map((c) => c.load(ctx)).filter((c): c is TodayCard => c !== null);
  return { started: plan !== null, cards, clock, keptOffer: user ? await loadKeptOffer(request, user, plan) : null };
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
async function loadKeptOffer(request: Request, user: CurrentUser, plan: Awaited<ReturnType<typeof loadOwnPlan>>): Promise<KeptOffer | null> {
  const keptPlan = plan?.source === "kept" ? plan : null;
  const kept = readKeptCheck(request);
  const check = kept && !(await getLatestSafetyCheck(await getDb(), user.id)) ? kept : null;
  return keptPlan || check ? { plan: keptPlan, check } : null;
}

/**
 * Whether `/` should send this person to Today: a visitor with a plan kept in this browser, or
 * a signed-in person with a saved plan. A request without either cookie costs no database query.
 */
export async function hasStarted(request: Request, user: Pick<CurrentUser, "id"> | null): Promise<boolean> {
  if (hasKeptPlan(request)) return true;
  return user ? (await getPlan(await getDb(), user.id)) !== null : false;
}
