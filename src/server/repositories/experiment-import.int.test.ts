/**
 * An import's days are stored in short statements (decision 096), and it stays all or nothing:
 * while they are stored the experiment is in no list and no lookup, a failure part way leaves
 * nothing, and an import a stopped server left half stored is removed at the next start.
 */
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { NotFoundError } from "../../core/errors";
import { freezeProtocol } from "../../core/experiments/protocol";
import { experiment, experimentDay, user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { readImportNow } from "../workers/analysis-worker";
import {
  createImportedExperiment,
  listExperimentDays,
  listExperiments,
  removeUnfinishedImports,
  requireExperiment,
  UNFINISHED_IMPORT_MS,
} from "./experiments";

const AT = new Date("2026-11-30T12:00:00Z");

/** A two-period crossover of `days` days in 2020, one row a day. */
function file(days: number): Uint8Array {
  const rows = ["date,block,period,condition,value"];
  for (let i = 0; i < days; i++) {
    const block = Math.floor(i / 2) + 1;
    const condition = (i % 2 === 0) === (block % 3 !== 0) ? "A" : "B";
    rows.push(
      `${new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},${block},${(i % 2) + 1},${condition},${3 + (i % 5)}`,
    );
  }
  return new TextEncoder().encode(rows.join("\n") + "\n");
}

function read(days: number) {
  return readImportNow({
    bytes: file(days),
    fileName: "diary.csv",
    choices: { outcome: "pain", better: "lower", mcid: 1 },
    clock: { today: "2026-11-30", timeZone: "UTC" },
    seed: 7,
  });
}

describeEachDatabase("an experiment import in short statements", (t) => {
  const store = (userId: string, days: ReturnType<typeof read>["days"], imported = read(10)) =>
    createImportedExperiment(t.db, userId, {
      frozen: freezeProtocol(imported.protocol),
      at: AT,
      analysisSeed: 7,
      days,
    });

  it("stores every day of a large file, and lists the experiment once they are all in", async () => {
    await t.db.insert(user).values({ id: "ida", name: "Ida", email: "ida@example.com" });
    const imported = read(1_200);
    const id = await store("ida", imported.days, imported);
    expect((await listExperiments(t.db, "ida")).map((e) => e.id)).toEqual([id]);
    expect((await requireExperiment(t.db, "ida", id)).state).toBe("ended");
    expect(await listExperimentDays(t.db, "ida", id)).toHaveLength(1_200);
  });

  it("leaves nothing when a day cannot be stored part way, and shows nothing while the days go in", async () => {
    await t.db.insert(user).values({ id: "jo", name: "Jo", email: "jo@example.com" });
    const imported = read(600);
    // The last day breaks a CHECK of the table (a pain of 11): it fails after hundreds were stored.
    const days = imported.days.map((d, i) => (i === imported.days.length - 1 ? { ...d, value: 11 } : d));
    const seen: number[] = [];
    const watching = (async () => {
      // What a page would list while the import runs.
      for (let i = 0; i < 20; i++) {
        seen.push((await listExperiments(t.db, "jo")).length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await expect(store("jo", days, imported)).rejects.toThrow();
    await watching;
    expect(seen.every((n) => n === 0)).toBe(true);
    expect(await listExperiments(t.db, "jo")).toEqual([]);
    const left = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(experiment)
      .where(eq(experiment.userId, "jo"));
    expect(left[0]?.n).toBe(0);
    const daysLeft = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(experimentDay)
      .where(eq(experimentDay.userId, "jo"));
    expect(daysLeft[0]?.n).toBe(0);
  });

  it("removes at start-up an import a stopped server left half stored, and keeps one still being stored", async () => {
    await t.db.insert(user).values({ id: "kim", name: "Kim", email: "kim@example.com" });
    const done = await store("kim", read(10).days);
    const [stale, young] = await Promise.all(
      [UNFINISHED_IMPORT_MS + 60_000, 60_000].map(async (ago) => {
        const id = await store("kim", read(10).days);
        await t.db
          .update(experiment)
          .set({ importStartedAt: new Date(AT.getTime() - ago) })
          .where(eq(experiment.id, id));
        return id;
      }),
    );
    // Marked as being imported: in no list, and not found by its id.
    expect((await listExperiments(t.db, "kim")).map((e) => e.id)).toEqual([done]);
    await expect(requireExperiment(t.db, "kim", stale!)).rejects.toBeInstanceOf(NotFoundError);
    expect(await removeUnfinishedImports(t.db, AT)).toBe(1);
    const ids = (await t.db.select({ id: experiment.id }).from(experiment).where(eq(experiment.userId, "kim"))).map(
      (r) => r.id,
    );
    expect(ids.sort()).toEqual([done, young].sort());
    expect(await listExperimentDays(t.db, "kim", stale!)).toEqual([]);
  });
});
