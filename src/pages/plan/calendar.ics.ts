/**
 * /plan/calendar.ics?<the plan form>: the same plan as the page, as an iCalendar file: each
 * session at the person's session reminder time (19:00 unless they chose one) on their clock.
 */
import type { APIRoute } from "astro";
import { getPlanId, parsePlanQuery } from "../../server/plan/data";
import { createPlanIcs } from "../../core/plan/ics";
import { createBreakInPlan } from "../../core/plan/plan";
import { getLocalDate } from "../../core/datetime";
import { publicOrigin } from "../../server/origin";
import { loadPlanCalendarClock } from "../../server/reminders/data";
import { pageDb } from "../../server/pages";

export const prerender = false;

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

export const GET: APIRoute = async ({ url, request }) => {
  const db = await pageDb();
  const now = new Date();
  const clock = await loadPlanCalendarClock(db, request);
  const query = parsePlanQuery(url, getLocalDate(now, clock.timeZone));
  if (query.kind !== "ok") return text("Fill in the plan form at /plan first; this address needs its answers.", 400);
  const plan = createBreakInPlan(query.input);
  if (plan.kind !== "plan") return text("There is no plan for these answers. See /plan for why.", 400);
  const ics = createPlanIcs(plan, {
    planId: getPlanId(query.input),
    now,
    siteUrl: publicOrigin(request.headers),
    ...clock,
  });
  return new Response(ics, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'attachment; filename="matwise-plan.ics"',
      "cache-control": "no-store",
    },
  });
};
