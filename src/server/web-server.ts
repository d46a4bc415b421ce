/**
 * The HTTP server in front of Astro. Prerendered pages and built assets are loaded into
 * memory at start-up with gzip and brotli versions made once, so a guide is answered from
 * memory, compressed, with an ETag and a per-page Content-Security-Policy. Everything
 * else (server-rendered pages, endpoints, other files) goes to Astro's handler.
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { CLIENT_IP_HEADER, resolveClientAddress } from "./client-address";
import { parseEnv } from "./env";
import { logger } from "./log";
import { baseSecurityHeaders, contentSecurityPolicy, loadScriptHashes } from "./security-headers";

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

/** One ready-to-send body with every header it needs, built once. */
interface Variant {
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

interface CachedFile {
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

/** Loads the text files of the client build, keyed by URL path, with their headers prepared. */
export function loadStaticFiles(clientDir: string, csp: string): Map<string, CachedFile> {
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
      ...baseSecurityHeaders,
      "Content-Security-Policy": csp,
      Vary: "Accept-Encoding",
      "Cache-Control": urlPath.startsWith("/_astro/") ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
      ETag: etag,
    };
    const variant = (body: Buffer, encoding?: string): Variant => ({
      body,
      headers: { ...common, "Content-Type": type, "Content-Length": body.length, ...(encoding ? { "Content-Encoding": encoding } : {}) },
    });
    files.set(urlPath, {
      etag,
      notModified: common,
      identity: variant(identity),
      gzip: once(() => (worthCompressing ? variant(gzipSync(identity, { level: 9 }), "gzip") : null)),
      brotli: once(() =>
        worthCompressing ? variant(brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }), "br") : null,
      ),
    });
  }
  return files;
}

/** URL path → the cached file that answers it (`/a/` and `/a` → `/a/index.html`). */
function lookup(files: Map<string, CachedFile>, pathname: string): CachedFile | undefined {
  return files.get(pathname) ?? files.get(pathname.endsWith("/") ? `${pathname}index.html` : `${pathname}/index.html`);
}

function pickVariant(accept: string | undefined, file: CachedFile): Variant {
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

/** The path of a request URL, decoded; null when it cannot be decoded. */
function pathOf(url: string): string | null {
  // Fast path for the common plain address; the URL parser handles the rest.
  if (!/[%?#\\]/.test(url) && url.startsWith("/")) return url;
  try {
    return decodeURIComponent(new URL(url, "http://x").pathname);
  } catch {
    return null;
  }
}

export interface WebServerOptions {
  /** MATWISE_TRUST_PROXY=1: the peer is a reverse proxy, and X-Forwarded-For says who the client is. */
  trustProxy?: boolean;
  /** CSP hashes of the build's own inline scripts (default: none, so no inline script runs). */
  scriptHashes?: readonly string[];
}

/** Options from the environment and the build beside `clientDir`, for `matwise serve`. */
function optionsFromEnv(clientDir: string): WebServerOptions {
  const env = parseEnv();
  const scriptHashes = loadScriptHashes(join(clientDir, "..", "server"));
  if (!scriptHashes) logger.warn("the build has no script-hashes.json: inline scripts will be blocked by the Content-Security-Policy (rebuild with `npm run build`)");
  return { trustProxy: env.MATWISE_TRUST_PROXY === "1", scriptHashes: scriptHashes ?? [] };
}

/**
 * Replaces whatever the client said about its address with what the socket (and a trusted proxy)
 * says: Astro's `clientAddress` reads X-Forwarded-For, better-auth and `clientIp` read
 * CLIENT_IP_HEADER, and both now hold the one resolved address.
 */
function pinClientAddress(req: IncomingMessage, trustProxy: boolean): void {
  const address = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustProxy);
  req.headers[CLIENT_IP_HEADER] = address;
  req.headers["x-forwarded-for"] = address;
}

/** Wraps Astro's handler with the in-memory static layer and the security headers. */
export function createRequestHandler(astro: NodeHandler, clientDir: string, options: WebServerOptions = optionsFromEnv(clientDir)): NodeHandler {
  const trustProxy = options.trustProxy ?? false;
  const csp = contentSecurityPolicy(options.scriptHashes);
  const files = loadStaticFiles(clientDir, csp);
  return (req, res) => {
    if (req.method === "GET" || req.method === "HEAD") {
      const pathname = pathOf(req.url ?? "/");
      if (pathname === null) {
        res.writeHead(400, { ...baseSecurityHeaders, "content-type": "text/plain; charset=utf-8" }).end("Bad request: the address is not valid.");
        return;
      }
      const file = pathname.includes("..") ? undefined : lookup(files, pathname);
      if (file) {
        if (req.headers["if-none-match"] === file.etag) {
          res.writeHead(304, file.notModified).end();
          return;
        }
        const v = pickVariant(req.headers["accept-encoding"], file);
        res.writeHead(200, v.headers);
        res.end(req.method === "HEAD" ? undefined : v.body);
        return;
      }
    }
    for (const [k, v] of Object.entries(baseSecurityHeaders)) res.setHeader(k, v);
    res.setHeader("Content-Security-Policy", csp);
    pinClientAddress(req, trustProxy);
    astro(req, res);
  };
}

export function createWebServer(astro: NodeHandler, clientDir: string, options?: WebServerOptions): Server {
  return createServer(createRequestHandler(astro, clientDir, options));
}
