/**
 * Reads the break-in plan's GET form from a URL, so the page and the .ics download agree.
 */
import { PlanInputSchema, type PlanInput } from "../../core/plan/plan";
import { fieldIssues } from "../../server/http";

export type PlanQuery = { kind: "empty" } | { kind: "ok"; input: PlanInput } | { kind: "invalid"; issues: Record<string, string[]> };

const today = (now: Date) => now.toISOString().slice(0, 10);

/** "empty" when the form was not sent yet; otherwise the parsed input or a message per field. */
export function parsePlanQuery(url: URL, now: Date): PlanQuery {
  const q = url.searchParams;
  if (!q.has("skin") && !q.has("tolerance") && !q.has("level")) return { kind: "empty" };
  const result = PlanInputSchema.safeParse({
    skin: q.get("skin") ?? undefined,
    tolerance: q.get("tolerance") ?? undefined,
    area: q.get("area") ?? undefined,
    level: q.get("level") ?? undefined,
    areasOff: q.getAll("areasOff"),
    professionalAgreed: q.get("professionalAgreed") === "yes",
    start: q.get("start") || today(now),
  });
  if (!result.success) {
    const issues = fieldIssues(result.error);
    // "areasOff.0" → "areasOff", so the message lands on the group of checkboxes.
    const grouped: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(issues)) (grouped[k.split(".")[0] ?? k] ??= []).push(...v);
    return { kind: "invalid", issues: grouped };
  }
  return { kind: "ok", input: result.data };
}

/** A short stable id for a plan's calendar events, from its inputs. */
export function getPlanId(input: PlanInput): string {
  const text = JSON.stringify([input.skin, input.tolerance, input.area, input.level, [...input.areasOff].sort(), input.professionalAgreed, input.start]);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return `plan-${h.toString(36)}`;
}
