/**
 * Runs the benchmarks and writes their results into BENCHMARKS.md, between markers, with the
 * command and the machine. Every figure in that file comes from here; none is typed by hand.
 *
 *   npm run bench                     all, in order
 *   npm run bench -- guides lighthouse   only those (their sections are replaced, the rest kept)
 *   npm run bench -- --list           names
 *   npm run bench -- --summary        rewrites the summary from the sections' verdicts, running nothing
 *
 * Builds first when dist/ is missing and a selected benchmark needs it. Runs from the project folder.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { join } from "node:path";
import { analysisBenchmark } from "./analysis";
import { anytimeBenchmark } from "./anytime";
import { appJsBenchmark } from "./app-js";
import { baselineBenchmark } from "./baseline";
import { guidesBenchmark } from "./guides";
import { importStallBenchmark } from "./import-stall";
import { lighthouseBenchmark } from "./lighthouse";
import { memoryBenchmark } from "./memory";
import { personalPagesBenchmark } from "./personal-pages";
import { scaleOutBenchmark } from "./scale-out";
import { ROOT } from "./lib/server";
import { yesNo, type Benchmark, type BenchResult, type Verdict } from "./lib/types";
import { simulationBenchmark } from "./simulation";
import { sleepImportBenchmark } from "./sleep-import";
import { studiesBenchmark } from "./studies";
import { throughputBenchmark } from "./throughput";

const BENCHMARKS: Benchmark[] = [
  guidesBenchmark,
  appJsBenchmark,
  throughputBenchmark,
  lighthouseBenchmark,
  analysisBenchmark,
  simulationBenchmark,
  anytimeBenchmark,
  personalPagesBenchmark,
  sleepImportBenchmark,
  studiesBenchmark,
  importStallBenchmark,
  baselineBenchmark,
  memoryBenchmark,
  scaleOutBenchmark,
];
const FILE = join(ROOT, "BENCHMARKS.md");

const start = (name: string) => `<!-- bench:${name}:start -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;
const VERDICTS = /<!-- verdicts: (.*?) -->/;

function getMachine(): string {
  const cpu = cpus();
  let os = `${type()} ${release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    if (pretty) os = `${pretty}, ${os}`;
  } catch {
    /* no os-release */
  }
  return `${cpu[0]?.model.trim() ?? "unknown CPU"}, ${cpu.length} logical cores (${availableParallelism()} available to Node), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${os}`;
}

const TEMPLATE = `# Benchmarks

Every figure below is written by \`npm run bench\` (bench/run.ts); nothing between the markers is
typed by hand. Each section says the command that produced it, when, and on what machine. The
budgets come from the design brief (section 6) and the issues; a budget that is missed is
reported as missed.

Run everything with \`npm run bench\` (builds first when \`dist/\` is missing; about 9–10 minutes on
2 cores, of which the simulation takes 2–4), or one or more benchmarks by name: \`npm run bench
-- guides\`, \`app-js\`, \`throughput\`, \`lighthouse\`, \`analysis\`, \`simulation\`, \`anytime\` (the last three need
no build). Rebuild (\`npm run build\`) before measuring a change: the bench uses the build that is
in \`dist/\`.

The browser benchmarks use Debian's chromium (\`/usr/lib/chromium/chromium\`, or \`CHROMIUM_PATH\`)
and are reported as not measured when it is missing. Everything runs on loopback against
\`matwise serve\` started with a throw-away data directory.

## Summary

${start("summary")}
${end("summary")}

${BENCHMARKS.map((b, i) => `## ${i + 1}. ${b.title}\n\n${start(b.name)}\nNot measured yet: run \`npm run bench -- ${b.name}\`.\n${end(b.name)}\n`).join("\n")}`;

/** Replaces the body between the markers of `name`; a section not in the file yet is added at the end under `heading`. */
function replaceSection(doc: string, name: string, body: string, heading = name): string {
  const a = doc.indexOf(start(name));
  const z = doc.indexOf(end(name));
  if (a < 0 || z < a) return `${doc.trimEnd()}\n\n## ${heading}\n\n${start(name)}\n${body}\n${end(name)}\n`;
  return `${doc.slice(0, a + start(name).length)}\n${body}\n${doc.slice(z)}`;
}

function readVerdicts(doc: string, name: string): Verdict[] | null {
  const a = doc.indexOf(start(name));
  const z = doc.indexOf(end(name));
  if (a < 0 || z < a) return null;
  const json = VERDICTS.exec(doc.slice(a, z))?.[1];
  return json ? (JSON.parse(json.replace(/\\u002d\\u002d/g, "--")) as Verdict[]) : null;
}

/** Longest summary cell kept whole; a longer `measured` without a `summary` is cut at a "; " before it. */
const SUMMARY_CELL_CHARS = 110;

/** The short cell of a budget in the summary: its own `summary`, or `measured` cut to its first parts. */
function getSummaryCell(v: Verdict): string {
  if (v.summary) return v.summary;
  if (v.measured.length <= SUMMARY_CELL_CHARS) return v.measured;
  const parts = v.measured.split("; ");
  let cell = parts[0]!.length > SUMMARY_CELL_CHARS ? `${parts[0]!.slice(0, SUMMARY_CELL_CHARS - 1)}…` : parts[0]!;
  let kept = 1;
  while (kept < parts.length && cell.length + 2 + parts[kept]!.length <= SUMMARY_CELL_CHARS)
    cell += `; ${parts[kept++]}`;
  return kept < parts.length ? `${cell}; and ${parts.length - kept} more` : cell;
}

/** One line per budget: the budget, a short measured cell (the worst case and a count), whether it is met, the section. */
function getSummary(doc: string): string {
  const rows: string[] = [];
  BENCHMARKS.forEach((b, i) => {
    const section = `§${i + 1}`;
    const verdicts = readVerdicts(doc, b.name);
    if (!verdicts) rows.push(`| ${b.title} | not measured yet | — | ${section} |`);
    else for (const v of verdicts) rows.push(`| ${v.budget} | ${getSummaryCell(v)} | ${yesNo(v.met)} | ${section} |`);
  });
  return ["| budget | measured (worst case; count) | within | section |", "|---|---|---|---|", ...rows].join("\n");
}

const getLoad = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(", ");

function section(result: BenchResult, command: string, machine: string, seconds: number, loadBefore: string): string {
  // "--" cannot appear inside an HTML comment.
  const json = JSON.stringify(result.verdicts).replace(/--/g, "\\u002d\\u002d");
  return [
    `<!-- verdicts: ${json} -->`,
    `Measured by \`${command}\` on ${new Date().toISOString().replace(/\.\d+Z$/, "Z")} (took ${seconds.toFixed(0)} s).`,
    `Machine: ${machine}. Load average (1, 5, 15 min) before / after: ${loadBefore} / ${getLoad()} (the machine may be shared; figures from a loaded machine are noisier).`,
    "",
    result.markdown,
    "",
    "| budget | measured | within |",
    "|---|---|---|",
    ...result.verdicts.map((v) => `| ${v.budget} | ${v.measured} | ${yesNo(v.met)} |`),
  ].join("\n");
}

function ensureBuilt(): void {
  if (existsSync(join(ROOT, "dist/server/entry.mjs")) && existsSync(join(ROOT, "dist/client"))) return;
  console.log("[bench] dist/ is missing: running `npm run build` first");
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed");
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--list") || args.includes("--help")) {
    console.log(
      `Usage: npm run bench [-- name ...]\n\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(12)} ${b.title}`).join("\n")}`,
    );
    return 0;
  }
  if (args.includes("--summary")) {
    writeFileSync(FILE, replaceSection(readFileSync(FILE, "utf8"), "summary", getSummary(readFileSync(FILE, "utf8"))));
    console.log(`[bench] summary rewritten in ${FILE}`);
    return 0;
  }
  const unknown = args.filter((a) => !BENCHMARKS.some((b) => b.name === a));
  if (unknown.length) {
    console.error(`Unknown benchmark: ${unknown.join(", ")}. Known: ${BENCHMARKS.map((b) => b.name).join(", ")}.`);
    return 2;
  }
  const selected = args.length ? BENCHMARKS.filter((b) => args.includes(b.name)) : BENCHMARKS;
  const command = `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`;
  const machine = getMachine();
  if (selected.some((b) => b.needsBuild !== false)) ensureBuilt();
  let doc = existsSync(FILE) ? readFileSync(FILE, "utf8") : TEMPLATE;
  let failed = 0;
  for (const b of selected) {
    console.log(`[bench] ${b.name}: ${b.title}…`);
    const t0 = performance.now();
    const loadBefore = getLoad();
    let result: BenchResult;
    try {
      result = await b.run();
    } catch (err) {
      failed++;
      const message = err instanceof Error ? err.message : String(err);
      console.error(`[bench] ${b.name} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
      result = {
        markdown: `The benchmark failed to run:\n\n\`\`\`\n${message.slice(0, 2000)}\n\`\`\``,
        verdicts: [{ budget: b.title, measured: "the benchmark failed to run (see its section)", met: null }],
      };
    }
    const seconds = (performance.now() - t0) / 1000;
    for (const v of result.verdicts)
      console.log(`  ${v.met === null ? "?" : v.met ? "✓" : "✗"} ${v.budget}: ${v.measured}`);
    doc = replaceSection(
      doc,
      b.name,
      section(result, command, machine, seconds, loadBefore),
      `${BENCHMARKS.indexOf(b) + 1}. ${b.title}`,
    );
    doc = replaceSection(doc, "summary", getSummary(doc));
    writeFileSync(FILE, doc);
  }
  console.log(`[bench] results written to ${FILE}`);
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
