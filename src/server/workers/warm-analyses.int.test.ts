/**
 * The start-up warm-up (issue 27 item 4): experiments whose stored analyses are stale get them
 * computed and stored, the ones already current are left, and an import still being stored is
 * not touched.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { freezeProtocol } from "../../core/experiments/protocol";
import { setProcessDatabase } from "../db/client";
import { experiment, user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { createImportedExperiment, getAnalysisCache } from "../repositories/experiments";
import { readImportNow } from "./analysis-worker";
import { listStaleAnalyses, warmAnalyses } from "./warm-analyses";

function imported(days: number) {
  const rows = ["date,block,period,condition,value"];
  for (let i = 0; i < days; i++) {
    const block = Math.floor(i / 2) + 1;
    const condition = (i % 2 === 0) === (block % 3 !== 0) ? "A" : "B";
    rows.push(
      `${new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${block},${(i % 2) + 1},${condition},${condition === "A" ? 3 + (i % 3) : 5 + (i % 4)}`,
    );
  }
  return readImportNow({
    bytes: new TextEncoder().encode(rows.join("\n") + "\n"),
    fileName: "diary.csv",
    choices: { outcome: "pain", better: "lower", mcid: 1 },
    clock: { today: "2026-11-30", timeZone: "UTC" },
    seed: 11,
  });
}

describeEachDatabase("warming the analyses at start-up", (t) => {
  beforeAll(async () => {
    setProcessDatabase(t.handle);
    await t.db.insert(user).values({ id: "wen", name: "Wen", email: "wen@example.com" });
  });

  it("computes and stores stale analyses once, and leaves an import still being stored", async () => {
    const store = async () => {
      const read = imported(60);
      return createImportedExperiment(t.db, "wen", {
        frozen: freezeProtocol(read.protocol),
        at: new Date("2026-11-30T12:00:00Z"),
        analysisSeed: 11,
        days: read.days,
      });
    };
    const done = await store();
    const storing = await store();
    await t.db.update(experiment).set({ importStartedAt: new Date() }).where(eq(experiment.id, storing));
    expect(await getAnalysisCache(t.db, "wen", done)).toBeNull();
    expect((await listStaleAnalyses(t.db)).map((e) => e.id)).toEqual([done]);

    expect(await warmAnalyses(t.db)).toBe(1);
    expect(await getAnalysisCache(t.db, "wen", done)).not.toBeNull();
    // Current now: nothing left to warm.
    expect(await listStaleAnalyses(t.db)).toEqual([]);
    expect(await warmAnalyses(t.db)).toBe(0);
  });
});
