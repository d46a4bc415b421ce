/**
 * A study's pooling on the worker pool (issue 27 item 3): the thread's answer equals `matwise pool`'s in-process one,
 * and a REML that does not converge comes back as data the page words, not as a thread's plain Error.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { ConvergenceError } from "../../core/stats/meta-analysis";
import * as pooled from "../../core/studies/pooled";
import { poolEffectsNow } from "./analysis-worker";
import { closeWorkerPool, runTask } from "./pool";

afterAll(() => closeWorkerPool());

const CSV = "id,effect,se\na,-1.2,0.5\nb,-0.3,0.4\nc,0.4,0.6\nd,-0.8,0.3\n";

describe("pooling a study's effects off the request thread", () => {
  it("gives on the pool's thread exactly what the command gives in process, for both methods", async () => {
    for (const method of ["REML", "DL"] as const) {
      const here = pooled.poolEffectsCsv(CSV, method);
      expect(here).not.toBeNull();
      await expect(runTask("poolEffects", { csv: CSV, method })).resolves.toEqual({ pool: here });
    }
  });

  it("says when REML does not converge instead of throwing", () => {
    const spy = vi.spyOn(pooled, "poolEffectsCsv").mockImplementation(() => {
      throw new ConvergenceError("no convergence after 100 iterations");
    });
    expect(poolEffectsNow(CSV, "REML")).toEqual({ converged: false, reason: "no convergence after 100 iterations" });
    spy.mockRestore();
  });
});
