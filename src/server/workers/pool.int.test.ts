/**
 * Imports and experiment analyses run on the worker pool, not on the request thread (issue 27
 * item 3, issue 25 item 4), and one person cannot fill it: past IMPORTS_PER_PERSON imports at
 * once, the next is refused with a 429 and a sentence, and nothing is stored; someone else's
 * import is not held back. The pool's answer equals the in-process analysis; a refusal keeps the
 * command's message.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ValidationError } from "../../core/errors";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx } from "../forms";
import { importExperiment, IMPORTS_PER_PERSON } from "../experiments/actions";
import { analyzeDataCsv, analyzeDataCsvInPool } from "../experiments/results";
import type * as Pool from "./pool";

vi.mock("../safety/data", () => ({ loadCurrentResult: () => Promise.reject(new Error("not used by an import")) }));

/** Every task sent to the pool, by name; while `hold` is set, tasks wait for it before running. */
const sent: string[] = [];
let hold: Promise<void> | null = null;
vi.mock("./pool", async (original) => {
  const real = await original<typeof Pool>();
  return {
    ...real,
    runTask: async (name: Parameters<typeof real.runTask>[0], ...rest: [unknown]) => {
      sent.push(name);
      if (hold) await hold;
      return real.runTask(name, ...rest);
    },
  };
});

const NOW = new Date("2026-11-30T12:00:00Z");

/** `n` days of a two-period crossover, one row a day. */
function file(n: number): string {
  const rows = ["date,block,period,condition,value"];
  for (let i = 0; i < n; i++) {
    const block = Math.floor(i / 2) + 1;
    const condition = (i % 2 === 0) === (block % 2 === 0) ? "A" : "B";
    rows.push(
      `${new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)},${block},${(i % 2) + 1},${condition},${condition === "A" ? 4 + (i % 3) : 5 + (i % 4)}`,
    );
  }
  return rows.join("\n") + "\n";
}

function upload(text: string): FormCtx {
  const form = new FormData();
  for (const [k, v] of Object.entries({ outcome: "pain", better: "lower", mcid: "1" })) form.append(k, v);
  form.append("file", new File([text], "diary.csv", { type: "text/csv" }));
  const request = new Request("http://localhost/experiments/import", { method: "POST", body: form });
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

describe("the worker pool", () => {
  it("gives what the in-process analysis gives, and keeps the command's refusal", async () => {
    const csv = file(60);
    const opts = { better: "lower" as const, mcid: 1, seed: 77 };
    expect(await analyzeDataCsvInPool(csv, opts)).toEqual(analyzeDataCsv(csv, opts));
    const refused = await analyzeDataCsvInPool("date,value\n", opts).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(() => analyzeDataCsv("date,value\n", opts)).toThrow((refused as Error).message);
  });
});

describeEachDatabase("imports on the worker pool", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "cat", name: "Cat", email: "cat@example.com" },
      { id: "dan", name: "Dan", email: "dan@example.com" },
    ]);
  });

  const stored = async (id: string) => {
    const r = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from experiment where user_id = ${id}`);
    return Number((r as { rows: { n: number }[] }).rows[0]!.n);
  };

  it("reads and analyses an import on the pool, and refuses a person's import past the limit in words", async () => {
    sent.length = 0;
    let release!: () => void;
    hold = new Promise<void>((r) => (release = r));
    const text = file(120);
    const first = Array.from({ length: IMPORTS_PER_PERSON }, () => importExperiment(t.db, upload(text), "cat", NOW));
    // The first ones are under way (waiting for the pool) before the next is sent.
    await vi.waitFor(() => expect(sent.filter((n) => n === "readImport")).toHaveLength(IMPORTS_PER_PERSON));
    const refused = await importExperiment(t.db, upload(text), "cat", NOW);
    const someoneElse = importExperiment(t.db, upload(text), "dan", NOW);
    await vi.waitFor(() => expect(sent.filter((n) => n === "readImport")).toHaveLength(IMPORTS_PER_PERSON + 1));
    release();
    hold = null;
    expect(isFormFailure(refused) && refused.status).toBe(429);
    expect(isFormFailure(refused) && refused.message).toMatch(
      /already bringing in 2 files\. Wait until they are done.*Nothing was stored/,
    );
    for (const r of [...(await Promise.all(first)), await someoneElse])
      expect(isFormFailure(r) ? r : r.status).toBe(303);
    expect(await stored("cat")).toBe(IMPORTS_PER_PERSON);
    expect(await stored("dan")).toBe(1);
    // Once they are done, the person can import again.
    const again = await importExperiment(t.db, upload(text), "cat", NOW);
    expect(isFormFailure(again) ? again : again.status).toBe(303);
  });
});
