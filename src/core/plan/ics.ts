/**
 * Writes a break-in plan as an iCalendar file (RFC 5545): one all-day event per mat day, so
 * a calendar app can remind the person. Pure: the caller passes the time stamp and an id.
 * @module
 */
import { LAYER_TEXT, POSITION_TEXT } from "../sessions/labels";
import type { BreakInPlan, PlanDay } from "./plan";

/** Escapes TEXT values: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
export function escapeIcsText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

function utf8Length(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Folds a content line so no line exceeds 75 octets; continuation lines start with a space (§3.1). */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const len = utf8Length(ch);
    const limit = out.length === 0 ? 75 : 74; // continuation lines carry a leading space
    if (bytes + len > limit) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += len;
  }
  out.push(current);
  return out.join("\r\n ");
}

const compactDate = (isoDate: string) => isoDate.replace(/-/g, "");
const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** The one-line title of a plan day, e.g. "Mat: 10 min, lying on the mat, through clothing". */
export function describePlanDay(day: PlanDay): string {
  if (day.rest) return "Rest day: no mat today";
  return `Mat: ${day.minutes} min, ${POSITION_TEXT[day.position].toLowerCase()}, ${LAYER_TEXT[day.layer].toLowerCase()}`;
}

/**
 * The plan as an .ics calendar: one all-day VEVENT per session day (rest days are left out).
 * `planId` makes the UIDs unique to this plan; `now` is the DTSTAMP; `siteUrl` goes into each description.
 * @see https://www.rfc-editor.org/rfc/rfc5545
 */
export function createPlanIcs(plan: Extract<BreakInPlan, { kind: "plan" }>, opts: { planId: string; now: Date; siteUrl: string }): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//matwise//break-in plan//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:matwise break-in plan"];
  const total = plan.days.length;
  for (const day of plan.days) {
    if (day.rest) continue;
    const description = [
      `Day ${day.day} of ${total} of your break-in plan.`,
      `${day.minutes} minutes, ${POSITION_TEXT[day.position].toLowerCase()}, ${LAYER_TEXT[day.layer].toLowerCase()}.`,
      day.layer === "bare-skin" ? "Bare skin only if it feels comfortable; otherwise stay with a thin layer." : "Keep a thin shirt or cloth between you and the spikes.",
      "Stop at once if you feel numbness, sharp pain that does not fade or dizziness, or if the skin breaks.",
      `Timer and log: ${opts.siteUrl}/timer`,
    ].join("\n");
    lines.push(
      "BEGIN:VEVENT",
      `UID:${opts.planId}-day${day.day}@matwise`,
      `DTSTAMP:${stamp(opts.now)}`,
      `DTSTART;VALUE=DATE:${compactDate(day.date)}`,
      `DTEND;VALUE=DATE:${compactDate(new Date(Date.parse(`${day.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10))}`,
      `SUMMARY:${escapeIcsText(describePlanDay(day))}`,
      `DESCRIPTION:${escapeIcsText(description)}`,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldIcsLine).join("\r\n") + "\r\n";
}
