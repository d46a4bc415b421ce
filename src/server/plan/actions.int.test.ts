/**
 * Keeping a plan in the account, on the real database: complete answers with a current check
 * make and save the plan; a plan without a safety check is refused in words and nothing is kept.
 */
import { beforeAll, expect, it } from "vitest";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx } from "../forms";
import { getPlan } from "../repositories/plans";
import { keepPlan } from "./actions";

const NOW = new Date("2026-01-12T12:00:00Z");
const ann = { id: "ann", timeZone: "Europe/Berlin" };

function post(fields: Record<string, string>): FormCtx {
  const request = new Request("http://localhost/plan", { method: "POST", body: new URLSearchParams(fields) });
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

const answers = { intent: "keep", skin: "average", tolerance: "average", area: "back", level: "fine" };

describeEachDatabase("plan actions", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values({ id: "ann", name: "Ann", email: "ann@example.com", timeZone: "Europe/Berlin" });
  });

  it("refuses a plan without a current safety check, says why, and keeps nothing", async () => {
    const result = await keepPlan(t.db, post({ ...answers, level: "none" }), ann, NOW);
    if (!isFormFailure(result)) throw new Error(`expected a refusal, got ${result.status}`);
    expect(result.status).toBe(400);
    expect(result.errors[""]).toEqual([
      "There is no plan without a current safety check. Please take the check first.",
    ]);
    expect(await getPlan(t.db, "ann")).toBeNull();
  });

  it("saves the plan to the account, starting on the person's day, and goes to Today", async () => {
    const result = await keepPlan(t.db, post(answers), ann, NOW);
    if (isFormFailure(result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
    expect(result.status).toBe(303);
    expect(result.headers.get("location")).toBe("/today?plan=saved");
    expect((await getPlan(t.db, "ann"))?.input).toMatchObject({ area: "back", level: "fine", start: "2026-01-12" });
  });
});
