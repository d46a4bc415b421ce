/**
 * The built client files in memory: prerendered pages and assets are loaded once at start-up,
 * with gzip and brotli versions made on first request and kept, so the web server answers a
 * guide from memory, compressed, with an ETag and its headers already built.
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { OutgoingHttpHeaders } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

const TEXT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/** One ready-to-send body with every header it needs, built once. */
export interface Variant {
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

export interface CachedFile {
  etag: string;
  /** Headers of a 304 answer. */
  notModified: OutgoingHttpHeaders;
  identity: Variant;
  /** Compressed variants, made on first request and kept (null: too small to be worth it). */
  gzip(): Variant | null;
  brotli(): Variant | null;
}

function once<T>(make: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

/**
 * How long a built file may be kept: hashed assets for a year; the service worker's scripts
 * `no-cache`, so a new build's worker is always found (decision 091); everything else revalidated.
 */
export function staticCacheControl(urlPath: string): string {
  if (urlPath.startsWith("/_astro/")) return "public, max-age=31536000, immutable";
  if (urlPath === "/sw.js" || urlPath === "/sw-push.js") return "no-cache";
  return "public, max-age=0, must-revalidate";
}

/** Loads the text files of the client build, keyed by URL path, with their headers prepared. */
export function loadStaticFiles(
  clientDir: string,
  security: Readonly<Record<string, string>>,
): Map<string, CachedFile> {
  const files = new Map<string, CachedFile>();
  for (const file of walk(clientDir)) {
    const type = TEXT_TYPES[extname(file)];
    if (!type) continue;
    const urlPath = `/${relative(clientDir, file).split(sep).join("/")}`;
    if (urlPath.startsWith("/pagefind/") && !urlPath.endsWith(".js") && !urlPath.endsWith(".css")) continue;
    const identity = readFileSync(file);
    const worthCompressing = identity.length > 512;
    const etag = `"${createHash("sha1").update(identity).digest("base64url")}"`;
    const common: OutgoingHttpHeaders = {
      ...security,
      Vary: "Accept-Encoding",
      "Cache-Control": staticCacheControl(urlPath),
      ETag: etag,
    };
    const variant = (body: Buffer, encoding?: string): Variant => ({
      body,
      headers: {
        ...common,
        "Content-Type": type,
        "Content-Length": body.length,
        ...(encoding ? { "Content-Encoding": encoding } : {}),
      },
    });
    files.set(urlPath, {
      etag,
      notModified: common,
      identity: variant(identity),
      gzip: once(() => (worthCompressing ? variant(gzipSync(identity, { level: 9 }), "gzip") : null)),
      brotli: once(() =>
        worthCompressing
          ? variant(
              brotliCompressSync(identity, {
                params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length },
              }),
              "br",
            )
          : null,
      ),
    });
  }
  return files;
}

/** URL path → the cached file that answers it (`/a/` and `/a` → `/a/index.html`). */
export function lookupStatic(files: Map<string, CachedFile>, pathname: string): CachedFile | undefined {
  return files.get(pathname) ?? files.get(pathname.endsWith("/") ? `${pathname}index.html` : `${pathname}/index.html`);
}

/** The smallest variant the client accepts: brotli, then gzip, else the file as it is. */
export function pickVariant(accept: string | undefined, file: CachedFile): Variant {
  if (accept) {
    if (accept.includes("br")) {
      const br = file.brotli();
      if (br) return br;
    }
    if (accept.includes("gzip")) {
      const gz = file.gzip();
      if (gz) return gz;
    }
  }
  return file.identity;
}
