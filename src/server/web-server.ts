/**
 * The HTTP server in front of Astro. Prerendered pages and built assets are loaded into
 * memory at start-up with gzip and brotli versions made once, so a guide is answered from
 * memory, compressed, with an ETag and a per-page Content-Security-Policy. Everything
 * else (server-rendered pages, endpoints, other files) goes to Astro's handler.
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { baseSecurityHeaders, contentSecurityPolicy } from "./security-headers";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

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

interface CachedFile {
  type: string;
  etag: string;
  cacheControl: string;
  csp: string;
  identity: Buffer;
  /** Compressed bodies, made on first request and kept (null: too small to be worth it). */
  gzip(): Buffer | null;
  brotli(): Buffer | null;
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

/** Loads the text files of the client build, keyed by URL path. */
export function loadStaticFiles(clientDir: string): Map<string, CachedFile> {
  const files = new Map<string, CachedFile>();
  for (const file of walk(clientDir)) {
    const type = TEXT_TYPES[extname(file)];
    if (!type) continue;
    const urlPath = `/${relative(clientDir, file).split(sep).join("/")}`;
    if (urlPath.startsWith("/pagefind/") && !urlPath.endsWith(".js") && !urlPath.endsWith(".css")) continue;
    const identity = readFileSync(file);
    const worthCompressing = identity.length > 512;
    const html = type.startsWith("text/html");
    files.set(urlPath, {
      type,
      etag: `"${createHash("sha1").update(identity).digest("base64url")}"`,
      cacheControl: urlPath.startsWith("/_astro/") ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
      csp: contentSecurityPolicy(html ? identity.toString("utf8") : ""),
      identity,
      gzip: once(() => (worthCompressing ? gzipSync(identity, { level: 9 }) : null)),
      brotli: once(() => (worthCompressing ? brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }) : null)),
    });
  }
  return files;
}

/** URL path → the cached file that answers it (`/a/` and `/a` → `/a/index.html`). */
function lookup(files: Map<string, CachedFile>, pathname: string): CachedFile | undefined {
  return files.get(pathname) ?? files.get(pathname.endsWith("/") ? `${pathname}index.html` : `${pathname}/index.html`);
}

function pickEncoding(accept: string | undefined, file: CachedFile): ["br" | "gzip" | null, Buffer] {
  const a = accept ?? "";
  const br = /\bbr\b/.test(a) ? file.brotli() : null;
  if (br) return ["br", br];
  const gz = /\bgzip\b/.test(a) ? file.gzip() : null;
  if (gz) return ["gzip", gz];
  return [null, file.identity];
}

/** Wraps Astro's handler with the in-memory static layer and the security headers. */
export function createRequestHandler(astro: NodeHandler, clientDir: string): NodeHandler {
  const files = loadStaticFiles(clientDir);
  return (req, res) => {
    for (const [k, v] of Object.entries(baseSecurityHeaders)) res.setHeader(k, v);
    if (req.method === "GET" || req.method === "HEAD") {
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      } catch {
        res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("Bad request: the address is not valid.");
        return;
      }
      const file = pathname.includes("..") ? undefined : lookup(files, pathname);
      if (file) {
        res.setHeader("Content-Security-Policy", file.csp);
        res.setHeader("Vary", "Accept-Encoding");
        res.setHeader("Cache-Control", file.cacheControl);
        res.setHeader("ETag", file.etag);
        if (req.headers["if-none-match"] === file.etag) {
          res.writeHead(304).end();
          return;
        }
        const [encoding, body] = pickEncoding(req.headers["accept-encoding"], file);
        res.setHeader("Content-Type", file.type);
        res.setHeader("Content-Length", body.length);
        if (encoding) res.setHeader("Content-Encoding", encoding);
        res.writeHead(200);
        res.end(req.method === "HEAD" ? undefined : body);
        return;
      }
    }
    res.setHeader("Content-Security-Policy", contentSecurityPolicy());
    astro(req, res);
  };
}

export function createWebServer(astro: NodeHandler, clientDir: string): Server {
  return createServer(createRequestHandler(astro, clientDir));
}
