/**
 * The cards of Today as data, already in words: what each card's loader (src/server/today/cards.ts)
 * returns and its view (src/components/today/) draws.
 * @module
 */
import type { PositionPicture } from "../pictures/positions";
import type { SessionLine } from "../sessions/labels";

export interface Step {
  title: string;
  href: string;
  action: string;
  done: boolean;
  detail: string;
}

export type TodayCard =
  | { kind: "steps"; steps: Step[] }
  | {
      kind: "plan-day";
      heading: string;
      /** "Day 5 of 21 · Wednesday 25 November" */
      when: string;
      /** "10 minutes, lying on your back, over a thin shirt", or the rest day, or what comes. */
      what: string;
      picture: PositionPicture | null;
      /** The timer, set up for today; null on a rest day. */
      timerHref: string | null;
      /** Sessions already done today, in a line each. */
      doneToday: string[];
      /** Why the timer will ask for a safety check first, or null. */
      gateNote: string | null;
      /** The safety result has changed since the plan was made. */
      resultChanged: boolean;
      source: "saved" | "kept";
    }
  | { kind: "browser-sessions"; signedIn: boolean; account: string | null; clear: string[] }
  | { kind: "recent"; lines: SessionLine[] }
  | {
      kind: "experiment";
      id: string;
      title: string;
      when: string;
      what: string;
      timerHref: string | null;
      checkIn: "open" | "done" | "none";
      /** Last night's sleep check-in is still open (it can be given until the end of today). */
      morningOpen: boolean;
      /** What the card leads with at this hour: the morning check-in before noon, the evening one from 17:00, else the session. */
      lead: "morning" | "session" | "evening";
      /** The anytime answer so far, in words (null before the first analysis). */
      answer: string | null;
    }
  | {
      kind: "progress";
      thisWeek: number;
      started: string | null;
      daysSinceStart: number | null;
      chart: { svg: string; sentence: string } | null;
    };
