/**
 * The session log's aggregate queries against their reference: `loadSessionTrends` must give
 * exactly what `tallySessions` computes from the full list, on both engines, in time zones on
 * either side of UTC and across a daylight-saving change; pages and "which page shows this
 * session" follow the newest-first order; and every time zone a person can choose is one the
 * database knows.
 */
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { listTimeZones } from "../../core/datetime";
import type { SessionInput } from "../../core/sessions/schema";
import { tallySessions } from "../../core/sessions/summary";
import { createSeededRng } from "../../core/stats/rng";
import { describeEachDatabase } from "../db/testing";
import { user } from "../db/schema";
import {
  countMatSessions,
  countNewerMatSessions,
  createMatSessions,
  listMatSessions,
  listMatSessionsPage,
  loadSessionTrends,
} from "./mat-sessions";

describeEachDatabase("session trends from aggregate queries", (t) => {
  const rng = createSeededRng(2026);
  const rating = () => (rng.uniform() < 0.2 ? null : Math.floor(rng.uniform() * 11));
  // 150 sessions every 5 to 31 hours from 20 February 2026, across Europe's and America's clock changes in March.
  let at = Date.parse("2026-02-20T00:00:00Z");
  const inputs: SessionInput[] = Array.from({ length: 150 }, () => {
    at += (5 + Math.floor(rng.uniform() * 27)) * 3_600_000;
    return {
      startedAt: new Date(at).toISOString(),
      durationSeconds: 60 + Math.floor(rng.uniform() * 1200),
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: null,
      note: null,
      discomfort: Math.floor(rng.uniform() * 11),
      painBefore: rating(),
      painAfter: rating(),
      tensionBefore: rating(),
      tensionAfter: rating(),
      stressBefore: rating(),
      stressAfter: rating(),
      relaxationBefore: rating(),
      relaxationAfter: rating(),
    };
  });

  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "long", name: "Lou", email: "lou@example.com" },
      { id: "none", name: "Nia", email: "nia@example.com" },
    ]);
    await createMatSessions(t.db, "long", inputs);
  });

  it.each(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"])(
    "equals the reference tally in %s",
    async (zone) => {
      const all = await listMatSessions(t.db, "long");
      for (const latest of [3, 30, 60, 200])
        expect(await loadSessionTrends(t.db, "long", zone, latest)).toEqual(tallySessions(all, zone, latest));
    },
  );

  it("is empty for a person without sessions, and never counts another person's", async () => {
    expect(await loadSessionTrends(t.db, "none", "UTC")).toEqual(tallySessions([], "UTC"));
    expect(await countMatSessions(t.db, "none")).toBe(0);
  });

  it("pages newest first and finds the page of a session", async () => {
    const all = await listMatSessions(t.db, "long");
    expect(await countMatSessions(t.db, "long")).toBe(150);
    const pages = await Promise.all(
      [0, 1, 7].map((p) => listMatSessionsPage(t.db, "long", { offset: p * 20, limit: 20 })),
    );
    expect(pages.map((p) => p.map((s) => s.id))).toEqual(
      [all.slice(0, 20), all.slice(20, 40), all.slice(140)].map((p) => p.map((s) => s.id)),
    );
    for (const i of [0, 19, 20, 77, 149]) expect(await countNewerMatSessions(t.db, "long", all[i]!.id)).toBe(i);
    expect(await countNewerMatSessions(t.db, "none", all[0]!.id)).toBeNull(); // not theirs
    expect(await countNewerMatSessions(t.db, "long", "not-an-id")).toBeNull();
  });

  it("knows every time zone a person can choose", async () => {
    const zones = listTimeZones();
    const r = await t.db.execute(sql`select name from pg_timezone_names`);
    const known = new Set((r as { rows: { name: string }[] }).rows.map((row) => row.name));
    expect(zones.filter((z) => !known.has(z))).toEqual([]);
  });
});
