/**
 * Benchmark 4, Lighthouse: lighthouse (node API, default mobile preset with simulated
 * throttling) in Debian's chromium against `matwise serve` on loopback, on the home page, the
 * pillar guide and one cluster guide; the four category scores against the budget of 100, with
 * the audits that cost points.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, startMatwise } from "./lib/server";
import { yesNo, type Benchmark, type BenchResult, type Verdict } from "./lib/types";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const PAGES = [
  { label: "home", path: "/" },
  { label: "pillar guide", path: "/guides/what-the-research-shows/" },
  { label: "cluster guide", path: "/guides/acupressure-mats-and-sleep/" },
];

interface PageScores {
  label: string;
  path: string;
  /** Median score (0–100) per category over the runs. */
  scores: Record<string, number>;
  runs: Record<string, number[]>;
  /** Audits scoring below 1 that count towards a category (title → category). */
  losses: string[];
  metrics: string;
}

async function runOnce(url: string): Promise<{ scores: Record<string, number>; losses: string[]; metrics: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "matwise-bench-lh-"));
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH!,
    chromeFlags: [...CHROMIUM_FLAGS, "--headless=new", "--host-resolver-rules=MAP localhost 127.0.0.1"],
    userDataDir,
    logLevel: "error",
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: [...CATEGORIES],
    });
    if (!result) throw new Error(`lighthouse returned nothing for ${url}`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const scores: Record<string, number> = {};
    const losses: string[] = [];
    for (const id of CATEGORIES) {
      const cat = lhr.categories[id];
      scores[id] = Math.round((cat?.score ?? 0) * 100);
      for (const ref of cat?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1)
          losses.push(`${id}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}`);
      }
    }
    const m = (id: string) => lhr.audits[id]?.displayValue ?? "?";
    const metrics = `FCP ${m("first-contentful-paint")}, LCP ${m("largest-contentful-paint")}, TBT ${m("total-blocking-time")}, CLS ${m("cumulative-layout-shift")}, SI ${m("speed-index")}`;
    return { scores, losses, metrics };
  } finally {
    chrome.kill();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** Lighthouse sometimes fails to record a trace on a busy machine (NO_NAVSTART): try again, up to 3 times. */
async function runWithRetries(url: string): Promise<Awaited<ReturnType<typeof runOnce>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(url);
    } catch (err) {
      if (attempt >= 3) throw err;
      console.warn(
        `  lighthouse attempt ${attempt} on ${url} failed (${err instanceof Error ? err.message : String(err)}); trying again`,
      );
      retries++;
    }
  }
}

let retries = 0;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;

export const lighthouseBenchmark: Benchmark = {
  name: "lighthouse",
  title: "Lighthouse",
  async run(): Promise<BenchResult> {
    if (!CHROMIUM_PATH) {
      const why = "chromium is not installed (apt-get install -y chromium), so Lighthouse was not run.";
      return {
        markdown: why,
        verdicts: [{ budget: "Lighthouse mobile 100 in all four categories (brief §6)", measured: why, met: null }],
      };
    }
    retries = 0;
    const server = await startMatwise();
    const results: PageScores[] = [];
    // Each page as a visitor gets it from the server, prerendered or not (the home page is rendered per request).
    const missing: { path: string; status: number }[] = [];
    try {
      for (const page of PAGES) {
        const status = (await fetch(`http://127.0.0.1:${server.port}${page.path}`, { redirect: "manual" })).status;
        if (status !== 200) {
          missing.push({ path: page.path, status });
          continue;
        }
        // localhost (mapped to 127.0.0.1 in chromium), as the build's canonical URLs point at http://localhost:4321.
        const url = `http://localhost:${server.port}${page.path}`;
        const runs: Awaited<ReturnType<typeof runOnce>>[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await runWithRetries(url));
        const byCat = Object.fromEntries(CATEGORIES.map((c) => [c, runs.map((r) => r.scores[c] ?? 0)]));
        results.push({
          label: page.label,
          path: page.path,
          runs: byCat,
          scores: Object.fromEntries(CATEGORIES.map((c) => [c, median(byCat[c] ?? [])])),
          losses: [...new Set(runs.flatMap((r) => r.losses))],
          metrics: runs.map((r) => r.metrics).join(" | "),
        });
      }
    } finally {
      await server.stop();
    }
    const all100 = (r: PageScores) => CATEGORIES.every((c) => r.scores[c] === 100);
    const cell = (r: PageScores, c: string) => `${r.scores[c]}${RUNS > 1 ? ` (${(r.runs[c] ?? []).join(", ")})` : ""}`;
    const table = [
      `| page | ${CATEGORIES.join(" | ")} | all 100 | lab metrics (simulated mobile) |`,
      `|---|${CATEGORIES.map(() => "---:").join("|")}|---|---|`,
      ...results.map(
        (r) =>
          `| ${r.label} ${r.path} | ${CATEGORIES.map((c) => cell(r, c)).join(" | ")} | ${yesNo(all100(r))} | ${r.metrics} |`,
      ),
    ];
    const losses = results.filter((r) => r.losses.length).map((r) => `- ${r.label} ${r.path}: ${r.losses.join("; ")}`);
    const verdicts: Verdict[] = [
      {
        budget: "Lighthouse mobile: 100 in performance, accessibility, best practices and SEO (brief §6)",
        measured: results.map((r) => `${r.label}: ${CATEGORIES.map((c) => r.scores[c]).join(" / ")}`).join("; "),
        met: results.length > 0 && results.every(all100),
      },
    ];
    if (missing.length)
      verdicts.push({
        budget: "Lighthouse: every page of the list was measured",
        measured: `not answered with 200 for a visitor, so not measured: ${missing.map((p) => `${p.path} (${p.status})`).join(", ")}`,
        met: false,
      });
    const markdown = [
      `Lighthouse 12.2.3 through its node API with chrome-launcher, Debian chromium (flags of the browser benchmarks plus \`--headless=new\`), the default mobile configuration (emulated mobile device, simulated slow-4G throttling and 4× CPU slowdown), ${RUNS} run${RUNS > 1 ? "s" : ""} per page in a fresh browser profile${RUNS > 1 ? " (median, each run in brackets)" : ""}, against \`matwise serve\` on loopback. Scores are performance / accessibility / best-practices / SEO.`,
      "",
      ...table,
      "",
      ...(retries
        ? [
            `Lighthouse failed to record ${retries} run(s) (such as NO_NAVSTART on a busy machine); they were run again.`,
            "",
          ]
        : []),
      losses.length ? "Audits that cost points:" : "No audit cost any points.",
      ...(losses.length ? ["", ...losses] : []),
    ].join("\n");
    return { markdown, verdicts };
  },
};
