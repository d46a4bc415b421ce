import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import type { PlanInput } from "../../core/plan/plan";
import { describeEachDatabase } from "../db/testing";
import { user } from "../db/schema";
import { deletePlan, getPlan, savePlan } from "./plans";

const input: PlanInput = {
  skin: "high",
  tolerance: "average",
  area: "neck-shoulders",
  level: "keep-area-off",
  areasOff: ["legs"],
  professionalAgreed: false,
  start: "2026-12-01",
};

describeEachDatabase("break-in plans, one per person", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
  });

  it("saves, reads back and replaces the owner's plan; others see nothing", async () => {
    expect(await getPlan(t.db, "ann")).toBeNull();
    const id = await savePlan(t.db, "ann", input, { lengthDays: 21, gentleness: 2 });
    expect(await getPlan(t.db, "ann")).toMatchObject({ id, input, lengthDays: 21, gentleness: 2 });
    expect(await getPlan(t.db, "bob")).toBeNull();

    const again = await savePlan(
      t.db,
      "ann",
      { ...input, start: "2026-12-05", areasOff: [] },
      { lengthDays: 21, gentleness: 2 },
    );
    expect(again).toBe(id); // the same row, replaced
    expect((await getPlan(t.db, "ann"))?.input).toMatchObject({ start: "2026-12-05", areasOff: [] });
    const count = await t.db.execute(sql`select count(*)::int as n from break_in_plan`);
    expect(Number((count as { rows: { n: number }[] }).rows[0]?.n)).toBe(1);
  });

  it("removes only the owner's plan", async () => {
    await savePlan(t.db, "bob", input, { lengthDays: 21, gentleness: 2 });
    expect(await deletePlan(t.db, "bob")).toBe(true);
    expect(await deletePlan(t.db, "bob")).toBe(false);
    expect(await getPlan(t.db, "ann")).not.toBeNull();
  });

  it.each([
    ["skin", { skin: "leather" }],
    ["area", { area: "wings" }],
    ["level", { level: "maybe" }],
  ] as const)("the database itself refuses a bad %s", async (_what, change) => {
    await expect(
      savePlan(t.db, "bob", { ...input, ...change } as unknown as PlanInput, { lengthDays: 21, gentleness: 2 }),
    ).rejects.toThrow();
  });

  it("goes when its owner goes (on delete cascade)", async () => {
    await t.db.insert(user).values({ id: "cy", name: "Cy", email: "cy@example.com" });
    await savePlan(t.db, "cy", input, { lengthDays: 14, gentleness: 0 });
    await t.db.execute(sql`delete from "user" where id = 'cy'`);
    expect(await getPlan(t.db, "cy")).toBeNull();
  });
});
