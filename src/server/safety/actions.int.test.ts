/**
 * Saving a safety check to the account, on the real database: complete answers are evaluated
 * and stored; incomplete ones are refused with a plain message and store nothing. The rules come
 * in as a parameter (as the page passes them), so no Astro content is needed here.
 */
import { beforeAll, expect, it } from "vitest";
import data from "../../content/safety/safety-check.json";
import { SafetyRuleSetSchema } from "../../core/safety/schema";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx } from "../forms";
import { listSafetyChecks } from "../repositories/safety-checks";
import { saveCheck } from "./actions";

const ruleSet = SafetyRuleSetSchema.parse(data);
const NOW = new Date("2026-01-12T12:00:00Z");

function post(fields: Record<string, string>): FormCtx {
  const request = new Request("http://localhost/account/safety-checks", {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

/** "No" to every question asked first: nothing that keeps a person off the mat. */
const allNo = Object.fromEntries(ruleSet.questions.filter((q) => !q.askedIf).map((q) => [q.id, "no"]));

describeEachDatabase("safety actions", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values({ id: "ann", name: "Ann", email: "ann@example.com", timeZone: "Europe/Berlin" });
  });

  it("saves a complete check and sends the person on to the plan", async () => {
    const result = await saveCheck(t.db, post(allNo), "ann", ruleSet, NOW);
    if (isFormFailure(result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
    expect(result.status).toBe(303);
    expect(result.headers.get("location")).toBe("/plan?check=saved");
    const checks = await listSafetyChecks(t.db, "ann");
    expect(checks).toHaveLength(1);
    expect(checks[0]?.answers.answers).toMatchObject(allNo);
  });

  it("refuses answers that did not arrive complete, says so in words, and saves nothing", async () => {
    const [first] = ruleSet.questions;
    const partial = Object.fromEntries(Object.entries(allNo).filter(([id]) => id !== first?.id));
    const result = await saveCheck(t.db, post(partial), "ann", ruleSet, NOW);
    if (!isFormFailure(result)) throw new Error(`expected a refusal, got ${result.status}`);
    expect(result.status).toBe(400);
    expect(result.errors[""]?.join(" ")).toContain("nothing was saved");
    expect(await listSafetyChecks(t.db, "ann")).toHaveLength(1);
  });
});
