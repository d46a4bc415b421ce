/**
 * Build step of `npm run build`: bundles the command line (src/cli/main.ts and the server code
 * it imports) into `dist/cli/matwise.mjs`, which `matwise serve` runs. Node 20 cannot run
 * TypeScript itself; without this the server would load through tsx's module hooks, which put
 * every import of the running server (each page's code on its first request) through a second
 * thread, costing a few hundred milliseconds on the first requests after a start and the memory
 * of that thread. Packages stay as imports from node_modules; only the project's own code is
 * bundled. The other commands run the sources through tsx, so they never run stale code. It
 * also bundles the worker pool's entry (src/server/workers/analysis-worker.ts) into
 * `dist/workers/analysis-worker.mjs`.
 * @module
 */
import { join } from "node:path";
import { build } from "esbuild";

/** Where the built command line goes, relative to the project root. */
export const BUILT_CLI = "dist/cli/matwise.mjs";

const root = join(import.meta.dirname, "..");
const result = await build({
  entryPoints: [join(root, "src/cli/main.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outfile: join(root, BUILT_CLI),
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`${BUILT_CLI} written (${Math.round(bytes / 1000)} KB)`);

// The worker pool's entry (src/server/workers/pool.ts finds it beside dist/ when running from the build).
const BUILT_WORKER = "dist/workers/analysis-worker.mjs";
const worker = await build({
  entryPoints: [join(root, "src/server/workers/analysis-worker.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outfile: join(root, BUILT_WORKER),
  logLevel: "warning",
  metafile: true,
});
const workerBytes = Object.values(worker.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`${BUILT_WORKER} written (${Math.round(workerBytes / 1000)} KB)`);
