/**
 * What the break-in plan's page, its calendar and Today need for GET: the plan's form read from
 * the URL (so the page and the .ics download agree), the values to show in the form (from the
 * current safety result, saved or kept in the browser), and the person's own plan, saved to
 * their account or kept in this browser.
 * @module
 */
import { contentHash } from "../../core/canonical";
import { getLocalDate, type LocalDate } from "../../core/datetime";
import { KEPT_PLAN_COOKIE, parseKeptPlan } from "../../core/plan/kept";
import { createBreakInPlan, PlanInputSchema, type BreakInPlan, type PlanInput } from "../../core/plan/plan";
import { isSafetyCheckCurrent } from "../../core/safety/current";
import type { CurrentResult } from "../../core/timer/gate";
import { readCookie } from "../cookies";
import type { Db } from "../db/client";
import { fieldIssues } from "../http";
import { getPlan, type SavedPlan } from "../repositories/plans";
import { loadCurrentResult } from "../safety/data";

export type PlanQuery =
  { kind: "empty" } | { kind: "ok"; input: PlanInput } | { kind: "invalid"; errors: Record<string, string[]> };

/** Reads the plan form's fields (from a query or a posted form) into a PlanInput, or a message per field. */
export function readPlanFields(
  get: (name: string) => string | null,
  getAll: (name: string) => string[],
  today: LocalDate,
): { ok: true; input: PlanInput } | { ok: false; errors: Record<string, string[]> } {
  const result = PlanInputSchema.safeParse({
    skin: get("skin") ?? undefined,
    tolerance: get("tolerance") ?? undefined,
    area: get("area") ?? undefined,
    level: get("level") ?? undefined,
    areasOff: getAll("areasOff"),
    professionalAgreed: get("professionalAgreed") === "yes",
    start: get("start") || today,
  });
  if (result.success) return { ok: true, input: result.data };
  // "areasOff.0" → "areasOff", so the message lands on the group of checkboxes.
  const errors: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(fieldIssues(result.error))) (errors[k.split(".")[0] ?? k] ??= []).push(...v);
  return { ok: false, errors };
}

/** "empty" when the form was not sent yet; otherwise the parsed input or a message per field. `today` is the person's local day. */
export function parsePlanQuery(url: URL, today: LocalDate): PlanQuery {
  const q = url.searchParams;
  if (!q.has("skin") && !q.has("tolerance") && !q.has("level")) return { kind: "empty" };
  const read = readPlanFields(
    (n) => q.get(n),
    (n) => q.getAll(n),
    today,
  );
  return read.ok ? { kind: "ok", input: read.input } : { kind: "invalid", errors: read.errors };
}

/** A short stable id for a plan's calendar events: a content hash of its inputs. */
export function getPlanId(input: PlanInput): string {
  return `plan-${contentHash({ ...input, areasOff: [...input.areasOff].sort() }).slice(0, 16)}`;
}

/** The plan form's values: what the URL says, else the current safety result (saved or kept) and the person's own plan, else defaults. */
export function getPlanFormValues(
  q: URLSearchParams,
  result: CurrentResult | null,
  own: PlanInput | null,
  today: LocalDate,
  now: Date,
) {
  const current = result && isSafetyCheckCurrent(result, now) ? result : null;
  return {
    skin: q.get("skin") ?? own?.skin ?? "average",
    tolerance: q.get("tolerance") ?? own?.tolerance ?? "average",
    area: q.get("area") ?? own?.area ?? "back",
    level: q.get("level") ?? current?.level ?? "",
    areasOff: q.has("level") ? q.getAll("areasOff") : (current?.areasOff ?? []),
    professionalAgreed: q.has("level") ? q.get("professionalAgreed") === "yes" : Boolean(current?.professionalAgreed),
    start: q.get("start") ?? today,
  };
}

/** The person's own plan: saved to the account, or kept in this browser. */
export interface OwnPlan {
  source: "saved" | "kept";
  input: PlanInput;
  plan: Extract<BreakInPlan, { kind: "plan" }>;
  /** The zone whose days the plan counts: the account's, or the browser's that kept it. */
  timeZone: string;
}

/**
 * The plan of this request's person: the one saved to their account, else the one kept in this
 * browser (a visitor's, or one kept before signing in), or null. A stored plan whose answers no
 * longer make a plan (the rules changed) counts as none.
 */
export async function loadOwnPlan(
  db: Db,
  request: Request,
  user: { id: string; timeZone: string } | null,
): Promise<OwnPlan | null> {
  return ownPlanOf(request, user, user ? await getPlan(db, user.id) : null);
}

/** `loadOwnPlan` with the saved plan already read (`saved`: the person's, or null). */
export function ownPlanOf(
  request: Request,
  user: { id: string; timeZone: string } | null,
  saved: Pick<SavedPlan, "input"> | null,
): OwnPlan | null {
  const kept = saved ? null : parseKeptPlan(readCookie(request, KEPT_PLAN_COOKIE));
  const input = saved?.input ?? kept?.input;
  if (!input) return null;
  const plan = createBreakInPlan(input);
  if (plan.kind !== "plan") return null;
  return { source: saved ? "saved" : "kept", input, plan, timeZone: user?.timeZone ?? kept?.timeZone ?? "UTC" };
}

/** Whether this browser keeps a plan (a cheap look at the cookie, no database). */
export function hasKeptPlan(request: Request): boolean {
  return parseKeptPlan(readCookie(request, KEPT_PLAN_COOKIE)) !== null;
}

/** The person's local day: on the account's clock, else the kept plan's, else UTC. */
export function getToday(now: Date, timeZone: string): LocalDate {
  return getLocalDate(now, timeZone);
}

/**
 * GET /plan: everything the page shows. The safety fields come from the current result (saved or
 * kept in this browser); the person's own plan is shown when the form was not sent; days are the
 * person's local days.
 */
export async function loadPlanPage(
  db: Db,
  request: Request,
  url: URL,
  user: { id: string; timeZone: string } | null,
  now: Date,
) {
  const [result, own] = await Promise.all([
    loadCurrentResult(db, request, user?.id ?? null, now),
    loadOwnPlan(db, request, user),
  ]);
  const timeZone = user?.timeZone ?? own?.timeZone ?? "UTC";
  const today = getLocalDate(now, timeZone);
  const query = parsePlanQuery(url, today);
  const made = query.kind === "ok" ? createBreakInPlan(query.input) : null;
  const values = getPlanFormValues(url.searchParams, result, own?.input ?? null, today, now);
  const resultCurrent = result !== null && isSafetyCheckCurrent(result, now);
  return { result, resultCurrent, own, timeZone, today, query, made, values };
}

/** The timer's address set up for a plan's day (length, position, area, layer). */
export function timerHrefFor(day: { minutes: number; position: string; layer: string }, area: string): string {
  return `/timer?${new URLSearchParams({ minutes: String(day.minutes), position: day.position, area, layer: day.layer }).toString()}`;
}
