/**
 * Build step (the last of `npm run build`): once `astro build` has written the client build, the service worker
 * (src/service-worker/sw.ts) is bundled with esbuild and given its precache list by Workbox's
 * `injectManifest`, as `dist/client/sw.js` (decision 091). The list is the app shell (scripts,
 * styles, icons, the manifest), the offline page and every prerendered guide and evidence page,
 * each with a content hash, so a new build replaces exactly what changed.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { injectManifest } from "workbox-build";
import { precacheUrl } from "../src/core/offline/pages";

/** The built files the worker precaches (paths under dist/client). */
export const PRECACHE_GLOBS = [
  "_astro/**/*.{js,css}",
  "guides/**/index.html",
  "evidence/**/index.html",
  "offline/index.html",
  "register-sw.js",
  "manifest.webmanifest",
  "icons/*.png",
  "favicon.svg",
];

/** Name of the worker script in the client build (served at `/sw.js`, scope `/`). */
export const SERVICE_WORKER_FILE = "sw.js";

/** Bundles the worker and writes it with its precache list into `clientDir`; returns what was precached. */
export async function buildServiceWorker(
  clientDir: string,
  source = fileURLToPath(new URL("../src/service-worker/sw.ts", import.meta.url)),
): Promise<{ count: number; size: number }> {
  const work = mkdtempSync(join(tmpdir(), "matwise-sw-"));
  try {
    const bundled = join(work, "sw.js");
    await build({
      entryPoints: [source],
      bundle: true,
      format: "iife",
      target: "es2020",
      minify: true,
      legalComments: "none",
      // Workbox's development logging is left out by this constant.
      define: { "process.env.NODE_ENV": '"production"' },
      outfile: bundled,
      logLevel: "silent",
    });
    const result = await injectManifest({
      swSrc: bundled,
      swDest: join(clientDir, SERVICE_WORKER_FILE),
      globDirectory: clientDir,
      globPatterns: PRECACHE_GLOBS,
      // Hashed file names need no revision of their own.
      dontCacheBustURLsMatching: /^\/_astro\//,
      manifestTransforms: [
        (entries) =>
          Promise.resolve({ manifest: entries.map((e) => ({ ...e, url: precacheUrl(e.url) })), warnings: [] }),
      ],
    });
    return { count: result.count, size: result.size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// `npm run build` runs this after `astro build` (and pagefind): `tsx scripts/build-sw.ts`.
const clientDir = join(import.meta.dirname, "..", "dist", "client");
const { count, size } = await buildServiceWorker(clientDir);
console.log(`dist/client/${SERVICE_WORKER_FILE} written: ${count} files precached (${Math.round(size / 1000)} KB)`);
