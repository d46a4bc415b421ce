/**
 * Benchmark 2, app page JavaScript: every page (prerendered and server-rendered routes) is
 * opened in chromium with an empty cache and the scripts it transfers are counted, as sent to
 * the browser, then re-fetched with gzip and with brotli; the guide search is used once so the
 * code it loads on demand counts too. A static pass follows the imports of every island in
 * dist/client/_astro as a cross-check (it also covers islands on pages reached only by a POST).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { chromium, type Browser, type Page, type Request } from "playwright-core";
import { getPrerenderedPages } from "./guides";
import { rawGet } from "./lib/http";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, ROOT, startMatwise } from "./lib/server";
import { kb, KB, yesNo, type Benchmark, type BenchResult, type Verdict } from "./lib/types";

const BUDGET = 60 * KB;

/** Routes of the server-rendered pages: .astro files in src/pages without parameters. */
function getServerRoutes(): string[] {
  const pagesDir = join(ROOT, "src/pages");
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (
        entry.name.endsWith(".astro") &&
        !p.includes("[") &&
        !entry.name.startsWith("_") &&
        entry.name !== "404.astro"
      ) {
        const rel = relative(pagesDir, p)
          .split(sep)
          .join("/")
          .replace(/\.astro$/, "");
        routes.push(rel === "index" ? "/" : rel.endsWith("/index") ? `/${rel.slice(0, -"index".length)}` : `/${rel}`);
      }
    }
  };
  walk(pagesDir);
  return routes;
}

interface Transfer {
  url: string;
  kind: "js" | "wasm" | "other";
  /** Encoded body + headers as chromium received them. */
  browserBytes: number;
  /** Encoded body only. */
  bodyBytes: number;
  encoding: string;
}

interface PageRow {
  route: string;
  finalPath: string;
  step: string;
  js: Transfer[];
  wasm: Transfer[];
  other: Transfer[];
  gzip: number;
  brotli: number;
}

function getKind(url: string, resourceType: string, contentType: string): Transfer["kind"] {
  if (resourceType === "script" || /javascript|ecmascript/.test(contentType) || /\.m?js(\?|$)/.test(url)) return "js";
  // WebAssembly is code too (pagefind ships its search engine as gzip-compressed .pagefind wasm).
  if (/wasm/.test(contentType) || /\.wasm(\?|$)|\/wasm\.[^/]*\.pagefind(\?|$)/.test(url)) return "wasm";
  return "other";
}

async function recordTransfers(page: Page, action: () => Promise<unknown>): Promise<Transfer[]> {
  const pending: Promise<Transfer | null>[] = [];
  const onFinished = (req: Request) => {
    pending.push(
      (async () => {
        const res = await req.response();
        if (!res || req.url().startsWith("data:")) return null;
        const sizes = await req.sizes();
        const headers = await res.allHeaders();
        const kind = getKind(req.url(), req.resourceType(), headers["content-type"] ?? "");
        // Chromium reports 0 body bytes for a worker's script; Content-Length is the size as sent.
        const body = sizes.responseBodySize || Number(headers["content-length"] ?? 0);
        return {
          url: req.url(),
          kind,
          browserBytes: body + sizes.responseHeadersSize,
          bodyBytes: body,
          encoding: headers["content-encoding"] ?? "identity",
        };
      })(),
    );
  };
  page.on("requestfinished", onFinished);
  await action();
  await page.waitForLoadState("networkidle");
  page.off("requestfinished", onFinished);
  return (await Promise.all(pending)).filter((t): t is Transfer => t !== null);
}

async function compressedSizes(urls: string[]): Promise<{ gzip: number; brotli: number }> {
  let gzip = 0;
  let brotli = 0;
  for (const url of urls) {
    gzip += (await rawGet(url, "gzip")).bodyBytes;
    brotli += (await rawGet(url, "br")).bodyBytes;
  }
  return { gzip, brotli };
}

async function crawl(browser: Browser, base: string, route: string): Promise<PageRow[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const rows: PageRow[] = [];
  try {
    const initial = await recordTransfers(page, () => page.goto(base + route, { waitUntil: "load" }));
    const finalPath = new URL(page.url()).pathname;
    const documentUrl = page.url();
    const first = initial.filter((t) => t.url !== documentUrl);
    rows.push({
      route,
      finalPath,
      step: "load",
      js: first.filter((t) => t.kind === "js"),
      wasm: first.filter((t) => t.kind === "wasm"),
      other: first.filter((t) => t.kind === "other"),
      gzip: 0,
      brotli: 0,
    });
    // The guide search loads its index and code only when used: search once and count that too.
    const search = page.locator("#guide-search-q");
    if ((await search.count()) > 0 && (await search.isVisible())) {
      const more = await recordTransfers(page, async () => {
        await search.fill("sleep");
        await search.press("Enter");
        await page.locator("#guide-search-results li").first().waitFor({ timeout: 15_000 });
      });
      rows.push({
        route,
        finalPath,
        step: "load + one search",
        js: [...rows[0]!.js, ...more.filter((t) => t.kind === "js")],
        wasm: [...rows[0]!.wasm, ...more.filter((t) => t.kind === "wasm")],
        other: [...rows[0]!.other, ...more.filter((t) => t.kind === "other")],
        gzip: 0,
        brotli: 0,
      });
    }
  } finally {
    await context.close();
  }
  for (const row of rows) Object.assign(row, await compressedSizes(row.js.map((t) => t.url)));
  return rows;
}

/** Static closure of each island: its module and everything it imports, plus the renderer. */
function getIslandClosures(): { name: string; files: string[]; gzip: number; brotli: number; raw: number }[] {
  const dir = join(ROOT, "dist/client/_astro");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".js"));
  } catch {
    return [];
  }
  const source = new Map(names.map((n) => [n, readFileSync(join(dir, n), "utf8")]));
  // Any quoted reference to another built module counts: static imports, dynamic imports and
  // Vite's preload lists (which name files as "_astro/x.js"). Over-counting is the safe side.
  const importsOf = (name: string) =>
    [...(source.get(name) ?? "").matchAll(/["'`](?:\.\/|\/?_astro\/)?([\w.-]+\.js)["'`]/g)]
      .map((m) => m[1] ?? "")
      .filter((n) => n !== name && source.has(n));
  const closure = (roots: string[]) => {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...importsOf(n));
    }
    return [...seen].sort();
  };
  const imported = new Set(names.flatMap(importsOf));
  const roots = names.filter((n) => !imported.has(n));
  const renderer = roots.filter((n) => n.startsWith("client."));
  const bytes = (files: string[], f: (b: Buffer) => number) =>
    files.reduce((s, n) => s + f(Buffer.from(source.get(n) ?? "")), 0);
  return roots
    .filter((n) => !renderer.includes(n))
    .map((n) => {
      const files = closure([n, ...renderer]);
      return {
        name: n.replace(/\.[\w-]+\.js$/, ""),
        files,
        raw: bytes(files, (b) => b.length),
        gzip: bytes(files, (b) => gzipSync(b, { level: 9 }).length),
        brotli: bytes(files, (b) => brotliCompressSync(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length),
      };
    });
}

export const appJsBenchmark: Benchmark = {
  name: "app-js",
  title: "App page JavaScript",
  async run(): Promise<BenchResult> {
    const islands = getIslandClosures();
    // /experiments/ (prerendered) and /experiments (its .astro file) are one page: keep the first.
    const routes: string[] = [];
    for (const r of [...getPrerenderedPages().map((p) => p.path), ...getServerRoutes()])
      if (!routes.some((x) => x.replace(/\/$/, "") === r.replace(/\/$/, ""))) routes.push(r);
    routes.sort();
    let rows: PageRow[] = [];
    let skipped: string | null = null;
    if (!CHROMIUM_PATH) skipped = "chromium is not installed (apt-get install -y chromium), so no page was crawled.";
    else {
      const server = await startMatwise();
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
      try {
        for (const route of routes) rows.push(...(await crawl(browser, server.url, route)));
      } finally {
        await browser.close();
        await server.stop();
      }
    }
    rows = rows.sort((a, b) => a.route.localeCompare(b.route));
    const withJs = rows.filter((r) => r.js.length + r.wasm.length > 0);
    const without = [
      ...new Set(
        rows
          .filter((r) => r.js.length + r.wasm.length === 0)
          .map((r) => (r.finalPath === r.route ? r.route : `${r.route} (→ ${r.finalPath})`)),
      ),
    ];
    const worstOf = (r: PageRow) => Math.max(r.gzip, r.brotli);
    const wasmOf = (r: PageRow) => r.wasm.reduce((s, t) => s + t.bodyBytes, 0);
    const sum = (ts: Transfer[]) => ts.reduce((s, t) => s + t.browserBytes, 0);
    const short = (url: string) => new URL(url).pathname.replace(/^\/_astro\//, "").replace(/\.[\w-]{8}\.js$/, ".js");
    const encodings = [...new Set(rows.flatMap((r) => r.js.map((t) => t.encoding)))].join(", ") || "none";
    const table = [
      "| page | step | JS files | JS as sent to chromium KB, with headers (encoding) | JS gzip KB | JS brotli KB | JS < 60 KB | WebAssembly KB as sent | JS (worst) + wasm KB | JS + wasm < 60 KB | other requests KB |",
      "|---|---|---|---:|---:|---:|---|---:|---:|---|---:|",
      ...withJs.map(
        (r) =>
          `| ${r.finalPath === r.route ? r.route : `${r.route} → ${r.finalPath}`} | ${r.step} | ${r.js.map((t) => short(t.url)).join(", ")} | ${kb(sum(r.js))} (${[...new Set(r.js.map((t) => t.encoding))].join("/")}) | ${kb(r.gzip)} | ${kb(r.brotli)} | ${yesNo(worstOf(r) < BUDGET)} | ${r.wasm.length ? kb(wasmOf(r)) : "—"} | ${kb(worstOf(r) + wasmOf(r))} | ${yesNo(worstOf(r) + wasmOf(r) < BUDGET)} | ${r.other.length ? kb(sum(r.other)) : "—"} |`,
      ),
    ];
    const islandTable = [
      "| island (static import closure + renderer) | files | raw KB | gzip KB | brotli KB | < 60 KB |",
      "|---|---|---:|---:|---:|---|",
      ...islands.map(
        (i) =>
          `| ${i.name} | ${i.files.map((f) => f.replace(/\.[\w-]{8}\.js$/, "")).join(", ")} | ${kb(i.raw)} | ${kb(i.gzip)} | ${kb(i.brotli)} | ${yesNo(Math.max(i.gzip, i.brotli) < BUDGET)} |`,
      ),
    ];
    const worst = withJs.reduce<PageRow | undefined>((w, r) => (!w || worstOf(r) > worstOf(w) ? r : w), undefined);
    const over = withJs.filter((r) => worstOf(r) >= BUDGET);
    const islandsOver = islands.filter((i) => Math.max(i.gzip, i.brotli) >= BUDGET);
    const withWasm = withJs.filter((r) => r.wasm.length > 0);
    const verdicts: Verdict[] = [
      {
        budget: "App pages: < 60 KB compressed JavaScript on any page (brief §6), crawled in chromium",
        measured: skipped
          ? skipped
          : worst
            ? `${new Set(withJs.map((r) => r.route)).size} of ${routes.length} pages load JS; most: ${worst.route} (${worst.step}) ${kb(worst.gzip)} KB gzip / ${kb(worst.brotli)} KB brotli${over.length ? `; over budget: ${over.map((r) => `${r.route} (${r.step})`).join(", ")}` : ""}`
            : `none of the ${routes.length} pages loads JavaScript`,
        met: skipped ? null : over.length === 0,
      },
      {
        budget: "Same, counting WebAssembly as code too (a stricter reading of the budget)",
        measured: skipped
          ? skipped
          : withWasm.length
            ? withWasm
                .map(
                  (r) =>
                    `${r.route} (${r.step}): ${kb(worstOf(r))} KB JS + ${kb(wasmOf(r))} KB wasm = ${kb(worstOf(r) + wasmOf(r))} KB`,
                )
                .join("; ")
            : "no page loads WebAssembly",
        summary: skipped
          ? undefined
          : (() => {
              const most = withWasm.reduce<PageRow | undefined>(
                (w, r) => (!w || worstOf(r) + wasmOf(r) > worstOf(w) + wasmOf(w) ? r : w),
                undefined,
              );
              return most
                ? `most ${most.route} ${kb(worstOf(most) + wasmOf(most))} KB; ${withWasm.length} page steps load WebAssembly`
                : "no page loads WebAssembly";
            })(),
        met: skipped ? null : withJs.every((r) => worstOf(r) + wasmOf(r) < BUDGET),
      },
      {
        budget: "App pages: < 60 KB compressed JavaScript per island (static import closure, cross-check)",
        measured: islands.length
          ? islands.map((i) => `${i.name} ${kb(i.gzip)} KB gzip / ${kb(i.brotli)} KB brotli`).join("; ")
          : "no islands in dist/client/_astro",
        summary: (() => {
          const most = islands.reduce<(typeof islands)[number] | undefined>(
            (w, i) => (!w || Math.max(i.gzip, i.brotli) > Math.max(w.gzip, w.brotli) ? i : w),
            undefined,
          );
          return most
            ? `largest ${most.name} ${kb(Math.max(most.gzip, most.brotli))} KB; ${islands.length} islands, ${islandsOver.length} over`
            : "no islands";
        })(),
        met: islandsOver.length === 0,
      },
    ];
    const markdown = [
      `Every route (${routes.length}: the prerendered pages in \`dist/client\` and the \`.astro\` pages in \`src/pages\` without parameters, signed out) is opened in a fresh chromium context (empty cache) served by \`matwise serve\`; every response that is a script is counted, with its encoded body and headers as chromium received them (encoding chosen by the server for chromium's \`Accept-Encoding\`: ${encodings}). The same script URLs are then fetched with \`Accept-Encoding: gzip\` and with \`br\` and their body bytes summed; the larger of the two is held against the budget. On the guide hub the search is used once (query “sleep”) so the code and index it loads on demand count too. Pages that load no JavaScript at all: ${without.length ? without.join(", ") : "none"}. 1 KB = 1,000 bytes.`,
      "",
      ...(skipped ? [skipped] : table),
      "",
      "Static cross-check: each island module in `dist/client/_astro`, with every module it imports (followed recursively) and the preact renderer, compressed here at gzip level 9 and brotli quality 11 (as the server does). It covers islands that the crawl cannot reach without a form post (such as the print button of the safety summary).",
      "",
      ...islandTable,
    ].join("\n");
    return { markdown, verdicts };
  },
};
