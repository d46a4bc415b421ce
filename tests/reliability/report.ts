/**
 * Writes the results of `npm run test:reliability` into RELIABILITY.md, between markers, with
 * the command, the time and the machine. Only the sections of tests that ran are replaced;
 * the prose around the markers is kept as it is. No figure in that file is typed by hand.
 * @module
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { join } from "node:path";
import { RESULTS_DIR, ROOT, type SectionResult } from "./support";

export const RELIABILITY_FILE = join(ROOT, "RELIABILITY.md");

/** The sections in the order they appear, with their titles. */
export const SECTIONS: { name: string; title: string }[] = [
  { name: "durability-pglite", title: "Durability under SIGKILL, embedded database (PGlite)" },
  { name: "durability-postgresql", title: "Durability under SIGKILL, PostgreSQL" },
  { name: "graceful-stop-pglite", title: "Graceful stop, embedded database (PGlite)" },
  { name: "graceful-stop-postgresql", title: "Graceful stop, PostgreSQL" },
  { name: "full-disk", title: "Full disk (PGlite on a small tmpfs)" },
  { name: "online-backup", title: "Online backup and restore under write load" },
  { name: "load", title: "Load at 80 % of capacity" },
];

const start = (name: string) => `<!-- reliability:${name}:start -->`;
const end = (name: string) => `<!-- reliability:${name}:end -->`;
const META = /<!-- result: (.*?) -->/;

function machine(): string {
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

const TEMPLATE = `# Reliability

Generated sections follow; see the top of this file for what they mean.

## Summary

${start("summary")}
${end("summary")}

${SECTIONS.map((s) => `## ${s.title}\n\n${start(s.name)}\nNot measured yet: run \`npm run test:reliability\`.\n${end(s.name)}\n`).join("\n")}`;

function replaceSection(doc: string, name: string, body: string): string {
  const a = doc.indexOf(start(name));
  const z = doc.indexOf(end(name));
  if (a < 0 || z < a) return `${doc.trimEnd()}\n\n## ${name}\n\n${start(name)}\n${body}\n${end(name)}\n`;
  return `${doc.slice(0, a + start(name).length)}\n${body}\n${doc.slice(z)}`;
}

function readMeta(doc: string, name: string): { passed: boolean; summary: string; at: string } | null {
  const a = doc.indexOf(start(name));
  const z = doc.indexOf(end(name));
  if (a < 0 || z < a) return null;
  const json = META.exec(doc.slice(a, z))?.[1];
  return json
    ? (JSON.parse(json.replace(/\\u002d\\u002d/g, "--")) as { passed: boolean; summary: string; at: string })
    : null;
}

function summary(doc: string): string {
  const rows = SECTIONS.map((s) => {
    const m = readMeta(doc, s.name);
    return m
      ? `| ${s.title} | ${m.passed ? "passed" : "**FAILED**"} | ${m.summary} | ${m.at.slice(0, 10)} |`
      : `| ${s.title} | — | not measured yet | — |`;
  });
  return ["| check | result | figures | measured on |", "|---|---|---|---|", ...rows].join("\n");
}

/** Reads the results stored by this run and writes them into RELIABILITY.md. */
export function writeReport(run: { startedAt: number; loadBefore: string }): string[] {
  if (!existsSync(RESULTS_DIR)) return [];
  const results = readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map(
      (f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), "utf8")) as SectionResult & { at: string; seconds?: number },
    )
    .filter((r) => Date.parse(r.at) >= run.startedAt);
  if (results.length === 0) return [];
  let doc = existsSync(RELIABILITY_FILE) ? readFileSync(RELIABILITY_FILE, "utf8") : TEMPLATE;
  const host = machine();
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(", ");
  for (const r of results) {
    const meta = JSON.stringify({ passed: r.passed, summary: r.summary, at: r.at }).replace(/--/g, "\\u002d\\u002d");
    const body = [
      `<!-- result: ${meta} -->`,
      `**${r.passed ? "Passed" : "FAILED"}.** Measured by \`npm run test:reliability\` on ${r.at.replace(/\.\d+Z$/, "Z")}.`,
      `Machine: ${host}. Load average (1, 5, 15 min) when the run began / ended: ${run.loadBefore} / ${load} (the machine may be shared with other work).`,
      "",
      r.markdown,
    ].join("\n");
    doc = replaceSection(doc, r.name, body);
  }
  doc = replaceSection(doc, "summary", summary(doc));
  writeFileSync(RELIABILITY_FILE, doc);
  return results.map((r) => r.name);
}
