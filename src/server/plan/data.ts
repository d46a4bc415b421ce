/**
 * What the break-in plan's page and its calendar need for GET: the plan's form read from the
 * URL (so the page and the .ics download agree), and the values to show in the form.
 * @module
 */
import { contentHash } from "../../core/canonical";
import { PlanInputSchema, type PlanInput } from "../../core/plan/plan";
import type { SavedSafetyCheck } from "../repositories/safety-checks";
import { fieldIssues } from "../http";

export type PlanQuery = { kind: "empty" } | { kind: "ok"; input: PlanInput } | { kind: "invalid"; errors: Record<string, string[]> };

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
    // "areasOff.0" → "areasOff", so the message lands on the group of checkboxes.
    const errors: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(fieldIssues(result.error))) (errors[k.split(".")[0] ?? k] ??= []).push(...v);
    return { kind: "invalid", errors };
  }
  return { kind: "ok", input: result.data };
}

/** A short stable id for a plan's calendar events: a content hash of its inputs. */
export function getPlanId(input: PlanInput): string {
  return `plan-${contentHash({ ...input, areasOff: [...input.areasOff].sort() }).slice(0, 16)}`;
}

/** The plan form's values: what the URL says, else the person's current saved check, else defaults. */
export function getPlanFormValues(q: URLSearchParams, savedCurrent: SavedSafetyCheck | null, now: Date) {
  return {
    skin: q.get("skin") ?? "average",
    tolerance: q.get("tolerance") ?? "average",
    area: q.get("area") ?? "back",
    level: q.get("level") ?? savedCurrent?.level ?? "",
    areasOff: q.has("level") ? q.getAll("areasOff") : (savedCurrent?.areasOffMat ?? []),
    professionalAgreed: q.has("level") ? q.get("professionalAgreed") === "yes" : Boolean(savedCurrent?.professionalAgreed),
    start: q.get("start") ?? today(now),
  };
}
