/**
 * Today is built from cards. Each card has a loader here, which returns what it shows (already
 * in words) or null when it has nothing to say, and a view in src/components/today/ chosen by
 * its `kind`. A later feature adds its card in three steps: a `kind` in TodayCard, a loader in
 * TODAY_CARDS, and a case in TodayCard.astro.
 * @module
 */
import {
  daysBetween,
  formatCalendarDate,
  formatDate,
  getWeekStart,
  type Clock,
  type LocalDate,
} from "../../core/datetime";
import { describePlanDay, describePosition, PLAN_LAYER_TEXT } from "../../core/plan/labels";
import { getPlanToday, getTargetMinutes } from "../../core/plan/today";
import { pictureFor } from "../../core/pictures/positions";
import { isSafetyCheckCurrent } from "../../core/safety/current";
import { LEVEL_TEXT } from "../../core/safety/labels";
import type { MatSessionRecord } from "../../core/sessions/schema";
import { binDiscomfort, describeDiscomfort, type SessionTrends } from "../../core/sessions/summary";
import { GATE_TEXT, type CurrentResult, type TimerGate } from "../../core/timer/gate";
import { renderDiscomfortChart } from "../charts/sessions";
import type { OwnPlan } from "../plan/data";
import { timerHrefFor } from "../plan/data";
import { toSessionLine } from "../sessions/data";
import type { TodayCard } from "../../core/today/cards";
import type { ExperimentToday } from "../experiments/data";

export type { Step, TodayCard } from "../../core/today/cards";

/** Everything the cards may read, loaded once per request. */
export interface TodayContext {
  signedIn: boolean;
  /** The signed-in person's account id (sessions rated offline wait for it), or null. */
  account: string | null;
  now: Date;
  clock: Clock;
  today: LocalDate;
  plan: OwnPlan | null;
  result: CurrentResult | null;
  gate: TimerGate;
  /** The tally of the person's sessions, with the latest 30 (a visitor's stay in the browser: none here). */
  trends: SessionTrends;
  /** The latest sessions in full, newest first. */
  recent: MatSessionRecord[];
  matNames: ReadonlyMap<string, string>;
  /** Kept sessions the server has just saved, for the browser to forget. */
  keptSaved: string[];
  /** The person's running experiments as today's cards need them (src/server/experiments/data.ts). */
  experiments: ExperimentToday[];
}

export interface TodayCardSource {
  id: string;
  load(ctx: TodayContext): TodayCard | null;
}

/** Someone who has not started: the three steps, each marked done or not. */
const steps: TodayCardSource = {
  id: "steps",
  load(ctx) {
    if (ctx.plan) return null;
    const checked = ctx.result && isSafetyCheckCurrent(ctx.result, ctx.now) ? ctx.result : null;
    return {
      kind: "steps",
      steps: [
        {
          title: "Take the safety check",
          href: "/safety-check",
          action: checked ? "Take it again" : "Take the safety check",
          done: checked !== null,
          detail: checked
            ? `Done: ${LEVEL_TEXT[checked.level].label.toLowerCase()}, ${formatDate(checked.date, "date", ctx.clock)}.`
            : "About 3 minutes. It says whether a mat suits you, and which areas to keep off it.",
        },
        {
          title: "Make your break-in plan",
          href: "/plan",
          action: "Make my plan",
          done: false,
          detail: "A gentle day-by-day start, built from your result. About a minute.",
        },
        {
          title: "Your first session",
          href: "/timer",
          action: "Open the timer",
          done: ctx.trends.count > 0,
          detail:
            ctx.trends.count > 0
              ? `Done: ${ctx.trends.count} so far.`
              : "A short, guided session with a soft chime at the end, then a few taps to rate it.",
        },
      ],
    };
  },
};

/** Today's session from the plan, with one button into the timer set up for it. */
const planDay: TodayCardSource = {
  id: "plan-day",
  load(ctx) {
    const own = ctx.plan;
    if (!own) return null;
    const area = own.input.area;
    const t = getPlanToday(own.plan, ctx.today);
    const doneToday = ctx.trends.latest
      .filter((s) => s.day === ctx.today)
      .map(
        (s) =>
          `${formatDate(s.startedAt, "time", ctx.clock)}: ${Math.round(s.durationSeconds / 60)} min, discomfort ${s.discomfort}`,
      );
    const gateNote = ctx.gate.ok ? null : GATE_TEXT[ctx.gate.reason];
    const current = ctx.result && isSafetyCheckCurrent(ctx.result, ctx.now) ? ctx.result : null;
    const resultChanged = current !== null && (current.level !== own.input.level || current.areasOff.includes(area));
    const base = { kind: "plan-day" as const, doneToday, gateNote, resultChanged, source: own.source };
    const dayName = formatCalendarDate(ctx.today, "longWeekday");
    // One instruction a day: while an experiment runs, its assignment is the day's session and the plan waits.
    if (ctx.experiments.length > 0 && t.status !== "after") {
      return {
        ...base,
        doneToday: [],
        heading: "Your plan is paused",
        when: dayName,
        what: "While your experiment runs, its day above is today's session. Your plan waits and carries on once the experiment ends.",
        picture: null,
        timerHref: null,
      };
    }
    if (t.status === "before") {
      return {
        ...base,
        heading: "Your plan starts soon",
        when: `Day 1 is ${formatCalendarDate(t.first.date, "longWeekday")}, in ${t.startsInDays} ${t.startsInDays === 1 ? "day" : "days"}`,
        what: `It begins with ${describePlanDay(t.first, area)}.`,
        picture: pictureFor(t.first.position, area),
        timerHref: null,
      };
    }
    if (t.status === "after") {
      const minutes = getTargetMinutes(own.plan);
      return {
        ...base,
        heading: "Your plan is done",
        when: `You finished your ${t.length}-day plan ${t.daysSinceEnd === 1 ? "yesterday" : `${t.daysSinceEnd} days ago`}`,
        what: `Keep to about ${minutes} minutes, ${describePosition(t.last.position, area)}, ${PLAN_LAYER_TEXT[t.last.layer]}. To learn whether the mat helps you more than resting, try a personal experiment.`,
        picture: pictureFor(t.last.position, area),
        timerHref: timerHrefFor({ ...t.last, minutes }, area),
      };
    }
    const { day } = t;
    if (day.rest) {
      return {
        ...base,
        heading: "Today: a rest day",
        when: `Day ${day.day} of ${t.length} · ${dayName}`,
        what: `Give your skin a break.${t.next ? ` Next: ${describePlanDay(t.next, area)} on ${formatCalendarDate(t.next.date, "longWeekday")}.` : ""}`,
        picture: null,
        timerHref: null,
      };
    }
    const what = describePlanDay(day, area);
    return {
      ...base,
      heading: "Today's session",
      when: `Day ${day.day} of ${t.length} · ${dayName}`,
      what: what.charAt(0).toUpperCase() + what.slice(1),
      picture: pictureFor(day.position, area),
      timerHref: timerHrefFor(day, area),
    };
  },
};

/** Sessions kept in this browser (to rate, or to save after signing in): drawn by an island. */
const browserSessions: TodayCardSource = {
  id: "browser-sessions",
  load: (ctx) => ({ kind: "browser-sessions", signedIn: ctx.signedIn, account: ctx.account, clear: ctx.keptSaved }),
};

/** The last sessions, a line each. */
const recent: TodayCardSource = {
  id: "recent",
  load(ctx) {
    if (ctx.recent.length === 0) return null;
    return { kind: "recent", lines: ctx.recent.slice(0, 5).map((s) => toSessionLine(s, ctx.matNames, ctx.clock)) };
  },
};

/** Sessions this week, days since the start, and the discomfort trend in one small chart. */
const progress: TodayCardSource = {
  id: "progress",
  load(ctx) {
    const t = ctx.trends;
    if (t.count === 0) return null;
    const weekStart = getWeekStart(ctx.today);
    const thisWeek = t.days.filter((d) => d.day >= weekStart && d.day <= ctx.today).reduce((n, d) => n + d.count, 0);
    const start = ctx.plan?.input.start ?? t.days[0]?.day ?? null;
    const daysSinceStart = start && start <= ctx.today ? daysBetween(start, ctx.today) : null;
    const sentence = describeDiscomfort(t);
    // Session by session over the latest (at most 30), whatever the whole count.
    const latest = binDiscomfort({ count: t.latest.length, latest: t.latest, days: [] });
    const chart =
      t.count >= 2
        ? {
            sentence,
            svg: renderDiscomfortChart(
              latest,
              { label: "Chart: discomfort on the mat in each of the latest sessions", description: sentence },
              { width: 360, height: 180 },
            ),
          }
        : null;
    return {
      kind: "progress",
      thisWeek,
      started: start ? formatCalendarDate(start, "date") : null,
      daysSinceStart,
      chart,
    };
  },
};

/** The cards of Today, in the order they are shown. */
/** Each running experiment: today's assignment (only today's) with the timer, and whether today's check-in is still open. */
const experimentDay: TodayCardSource = {
  id: "experiment",
  load(ctx) {
    const e = ctx.experiments[0];
    return e ? { kind: "experiment", ...e } : null;
  },
};

export const TODAY_CARDS: readonly TodayCardSource[] = [
  steps,
  experimentDay,
  planDay,
  browserSessions,
  recent,
  progress,
];
