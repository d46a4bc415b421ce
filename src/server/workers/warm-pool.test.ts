/**
 * The practice `matwise serve` gives its kept analysis thread before it says it is running (issue 27 item 4): a
 * made-up year the statistics accept, analysed on the pool's thread. Its own process: it keeps one thread started.
 */
import { afterAll, describe, expect, it } from "vitest";
import { practiseNow } from "./analysis-worker";
import { closeWorkerPool, warmWorkerPool } from "./pool";

afterAll(() => closeWorkerPool());

describe("the analysis thread's practice", () => {
  it("analyses a made-up year without a refusal, in process and on the pool's thread", async () => {
    expect(practiseNow()).toBeGreaterThan(0);
    await expect(warmWorkerPool()).resolves.toBeGreaterThan(0);
  });
});
