/**
 * Benchmark 1, guide page size: every prerendered page fetched from `matwise serve` as the
 * server sends it (gzip, then brotli), HTML plus any linked stylesheet, against the 30 KB
 * budget; and whether the page carries any script other than JSON-LD, with a check in
 * chromium (JavaScript off vs on) that such a page still reads without it.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { chromium } from "playwright-core";
import { rawGet } from "./lib/http";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, ROOT, startMatwise } from "./lib/server";
import { kb, KB, yesNo, type Benchmark, type BenchResult, type Verdict } from "./lib/types";

const BUDGET = 30 * KB;

type Kind = "guide" | "hub" | "evidence" | "other";

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/** URL paths of the prerendered pages in dist/client, with their kind. */
export function getPrerenderedPages(): { path: string; kind: Kind }[] {
  const client = join(ROOT, "dist/client");
  const pages: { path: string; kind: Kind }[] = [];
  for (const file of walk(client)) {
    const rel = relative(client, file).split(sep).join("/");
    if (!rel.endsWith("index.html") || rel.startsWith("pagefind/")) continue;
    const path = `/${rel.slice(0, -"index.html".length)}`;
    const kind: Kind =
      path === "/guides/"
        ? "hub"
        : path.startsWith("/guides/")
          ? "guide"
          : path.startsWith("/evidence/")
            ? "evidence"
            : "other";
    pages.push({ path, kind });
  }
  const order: Record<Kind, number> = { guide: 0, hub: 1, evidence: 2, other: 3 };
  return pages.sort((a, b) => order[a.kind] - order[b.kind] || a.path.localeCompare(b.path));
}

interface Row {
  path: string;
  kind: Kind;
  rawBytes: number;
  stylesheets: number;
  gzip: number;
  brotli: number;
  headers: number;
  scripts: string[];
  webFonts: number;
  readableWithoutJs: boolean | null;
}

const scriptTags = (html: string) =>
  [...html.matchAll(/<script\b([^>]*)>/gi)]
    .map((m) => m[1] ?? "")
    .filter((attrs) => !/type\s*=\s*["']?application\/ld\+json/i.test(attrs))
    .map(
      (attrs) =>
        (/\bsrc\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1] ?? "inline") +
        (/type\s*=\s*["']?module/i.test(attrs) ? " (module)" : ""),
    );

const stylesheetHrefs = (html: string) =>
  [...html.matchAll(/<link\b[^>]*>/gi)]
    .map((m) => m[0])
    .filter((tag) => /rel\s*=\s*["']?[^"'>]*stylesheet/i.test(tag))
    .map((tag) => /href\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1] ?? "")
    .filter(Boolean);

const fontCount = (text: string) =>
  (text.match(/@font-face/gi)?.length ?? 0) +
  (text.match(/<link[^>]*rel\s*=\s*["']?preload[^>]*as\s*=\s*["']?font/gi)?.length ?? 0);

async function measurePage(base: string, path: string, kind: Kind): Promise<Row> {
  const plain = await rawGet(base + path, "");
  if (plain.status !== 200) throw new Error(`${path} answered ${plain.status}`);
  const html = plain.body.toString("utf8");
  const sheets = stylesheetHrefs(html);
  const gz = await rawGet(base + path, "gzip");
  const br = await rawGet(base + path, "br");
  let gzip = gz.bodyBytes;
  let brotli = br.bodyBytes;
  let headers = Math.max(gz.headerBytes, br.headerBytes);
  let webFonts = fontCount(html);
  for (const href of sheets) {
    const url = new URL(href, base + path).href;
    const [sg, sb, sp] = await Promise.all([rawGet(url, "gzip"), rawGet(url, "br"), rawGet(url, "")]);
    gzip += sg.bodyBytes;
    brotli += sb.bodyBytes;
    headers += Math.max(sg.headerBytes, sb.headerBytes);
    webFonts += fontCount(sp.body.toString("utf8"));
  }
  return {
    path,
    kind,
    rawBytes: plain.bodyBytes,
    stylesheets: sheets.length,
    gzip,
    brotli,
    headers,
    scripts: scriptTags(html),
    webFonts,
    readableWithoutJs: null,
  };
}

/** Visible text of <main> (or <body>) with JavaScript on and off: a page reads without JS when nothing of it is lost. */
async function checkReadableWithoutJs(base: string, rows: Row[]): Promise<string | null> {
  const pending = rows.filter((r) => r.scripts.length > 0);
  if (pending.length === 0) return null;
  if (!CHROMIUM_PATH) return "chromium is not installed, so pages with scripts were not checked without JavaScript.";
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    for (const row of pending) {
      const words: Set<string>[] = [];
      for (const javaScriptEnabled of [true, false]) {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        await page.goto(base + row.path, { waitUntil: "networkidle" });
        const text = await page.evaluate("(document.querySelector('main') ?? document.body).innerText");
        words.push(
          new Set(
            String(text)
              .toLowerCase()
              .split(/\W+/)
              .filter((w) => w.length > 3),
          ),
        );
        await context.close();
      }
      const [on, off] = words as [Set<string>, Set<string>];
      const missing = [...on].filter((w) => !off.has(w));
      // Reads without JS when (almost) every word shown with JS is there without it.
      row.readableWithoutJs = missing.length <= Math.max(3, on.size * 0.02);
    }
  } finally {
    await browser.close();
  }
  return null;
}

export const guidesBenchmark: Benchmark = {
  name: "guides",
  title: "Guide page size",
  async run(): Promise<BenchResult> {
    const server = await startMatwise();
    let rows: Row[];
    let note: string | null;
    try {
      rows = [];
      for (const { path, kind } of getPrerenderedPages()) rows.push(await measurePage(server.url, path, kind));
      note = await checkReadableWithoutJs(server.url, rows);
    } finally {
      await server.stop();
    }
    const budgeted = rows.filter((r) => r.kind !== "other");
    const total = (r: Row) => Math.max(r.gzip, r.brotli) + r.headers;
    const within = (r: Row) => total(r) < BUDGET && r.webFonts === 0;
    const scriptOk = (r: Row) => r.scripts.length === 0 || r.readableWithoutJs === true;
    const table = [
      "| page | kind | HTML raw KB | linked CSS | gzip KB | brotli KB | headers KB | worst + headers KB | < 30 KB | web fonts | scripts other than JSON-LD | reads without JS |",
      "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.path} | ${r.kind} | ${kb(r.rawBytes)} | ${r.stylesheets} | ${kb(r.gzip)} | ${kb(r.brotli)} | ${kb(r.headers)} | ${kb(total(r))} | ${r.kind === "other" ? `(${within(r) ? "yes" : "no"}, not budgeted)` : yesNo(within(r))} | ${r.webFonts} | ${r.scripts.length ? r.scripts.join(", ") : "none"} | ${r.scripts.length === 0 ? "yes (no script)" : r.readableWithoutJs === null ? "not checked" : r.readableWithoutJs ? "yes (checked with JS off)" : "**NO**"} |`,
      ),
    ];
    const worst = budgeted.reduce<Row | undefined>((w, r) => (!w || total(r) > total(w) ? r : w), undefined);
    const overSize = budgeted.filter((r) => !within(r));
    const withScripts = budgeted.filter((r) => r.scripts.length > 0);
    const verdicts: Verdict[] = [
      {
        budget: "Guide, hub and evidence pages: HTML + CSS < 30 KB compressed, no web fonts (brief §6)",
        measured: worst
          ? `${budgeted.length} pages; largest ${worst.path}: ${kb(worst.gzip)} KB gzip / ${kb(worst.brotli)} KB brotli + ${kb(worst.headers)} KB headers${overSize.length ? `; over budget: ${overSize.map((r) => r.path).join(", ")}` : ""}`
          : "no prerendered guide pages found",
        summary: worst
          ? `largest ${worst.path} ${kb(Math.max(worst.gzip, worst.brotli) + worst.headers)} KB with headers; ${overSize.length} of ${budgeted.length} pages over`
          : undefined,
        met: worst ? overSize.length === 0 : null,
      },
      {
        budget: "Guide, hub and evidence pages: no JavaScript needed to read (brief §6)",
        measured: withScripts.length
          ? `${budgeted.length - withScripts.length} of ${budgeted.length} pages have no script but JSON-LD; ${withScripts.map((r) => `${r.path} has ${r.scripts.join(", ")} and ${r.readableWithoutJs ? "reads the same with JavaScript off" : r.readableWithoutJs === null ? "was not checked" : "loses content with JavaScript off"}`).join("; ")}`
          : `none of the ${budgeted.length} pages has a script other than JSON-LD`,
        summary: `${budgeted.filter(scriptOk).length} of ${budgeted.length} pages read the same without JavaScript; scripts seen: ${[...new Set(withScripts.flatMap((r) => r.scripts))].join(", ") || "none"}`,
        met: budgeted.length ? budgeted.every(scriptOk) : null,
      },
    ];
    const markdown = [
      "Each page is requested from `matwise serve` three times: without `Accept-Encoding` (raw size, to read the HTML), with `Accept-Encoding: gzip` and with `Accept-Encoding: br`; the sizes are the bytes of the body as sent. CSS is inlined by the build; any `<link rel=stylesheet>` is fetched the same way and added. *worst + headers* is the larger of the two compressed sizes plus the response headers (status line and header lines, which HTTP/1.1 does not compress) and is what is held against the budget. 1 KB = 1,000 bytes. Pages of kind *other* are prerendered pages outside the guide budget, listed for information.",
      "",
      ...table,
      ...(note ? ["", note] : []),
    ].join("\n");
    return { markdown, verdicts };
  },
};
