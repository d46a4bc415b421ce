/**
 * The HTTP server in front of Astro. Prerendered pages and built assets are loaded into
 * memory at start-up with gzip and brotli versions made once, so a guide is answered from
 * memory, compressed, with an ETag and a per-page Content-Security-Policy. Everything
 * else (server-rendered pages, endpoints, other files) goes to Astro's handler.
 * @module
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import { extname, join, relative, sep } from "node:path";
import type { Socket } from "node:net";
import { Readable } from "node:stream";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { CLIENT_IP_HEADER, resolveClientAddress } from "./client-address";
import { parseEnv } from "./env";
import { logger } from "./log";
import { MAX_IMPORT_BYTES } from "../core/experiments/import";
import { MAX_SLEEP_IMPORT_BYTES } from "../core/health-import/detect";
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

/**
 * The path of a request URL, decoded; null when it cannot be decoded or is encoded twice
 * (`%2541`), which Astro refuses too (and would log as an error).
 */
function pathOf(url: string): string | null {
  // Fast path for the common plain address; the URL parser handles the rest.
  if (!/[%?#\\]/.test(url) && url.startsWith("/")) return url;
  try {
    const raw = new URL(url, "http://x").pathname;
    if (/%[0-9a-f]{2}/i.test(decodeURI(raw)) && decodeURI(raw) !== raw) return null;
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The methods matwise answers; any other (TRACE, PUT, …) gets 405 with `Allow`, here, before Astro. */
const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST"]);
const ALLOW = [...ALLOWED_METHODS].join(", ");

/** Largest request body, in bytes, for every path without its own row in BODY_LIMITS: forms and JSON. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** A larger body limit for the paths under `prefix`, with the reason it is needed. */
export interface BodyLimit {
  prefix: string;
  bytes: number;
  why: string;
  /**
   * Hand the body on as it arrives, counted, instead of reading it into memory first: for
   * uploads too large to hold (the action streams them to a temporary file). A declared length
   * over the limit is still refused here before anything is read.
   */
  stream?: boolean;
  /**
   * How long the body may take to arrive (default BODY_TIMEOUT_MS, 30 s). Only uploads get
   * longer; a streamed row is bounded by REQUEST_TIMEOUT_MS instead.
   */
  timeoutMs?: number;
}

/**
 * How long an ordinary body (a form, JSON: at most 64 KB) may take to arrive before the request
 * is answered 408 and its connection closed (issue 25: a form sent a byte every 10 s held a
 * connection for the upload's hour).
 */
export const BODY_TIMEOUT_MS = 30_000;

/**
 * The most connections one client address may hold open at once; more are closed as they come.
 * Not applied behind a trusted proxy, where every connection comes from the proxy (limit there).
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 32;

/**
 * Paths that may receive more than DEFAULT_BODY_LIMIT: uploads. The longest matching prefix wins.
 * The action behind each checks its own, smaller limit on the file and says so in words.
 */
export const BODY_LIMITS: readonly BodyLimit[] = [
  // Twice the file limit, so a file somewhat over 2 MB still reaches the action, which says so in words.
  {
    prefix: "/experiments/import",
    bytes: 2 * MAX_IMPORT_BYTES + 64 * 1024,
    timeoutMs: 10 * 60_000,
    why: "an experiment's CSV file (up to 2 MB) with its form",
  },
  // Streamed to a temporary file by the action (src/server/uploads.ts), never held in memory.
  {
    prefix: "/account/import",
    bytes: MAX_SLEEP_IMPORT_BYTES + 1024 * 1024,
    stream: true,
    why: "a sleep export from a wearable (Apple Health's export.zip, up to 1.5 GB) with its form",
  },
];

/** The body limit row of a path (see BODY_LIMITS), or undefined for the default. */
function bodyLimitRow(pathname: string, limits: readonly BodyLimit[]): BodyLimit | undefined {
  let best: BodyLimit | undefined;
  for (const l of limits)
    if (pathname.startsWith(l.prefix) && (!best || l.prefix.length > best.prefix.length)) best = l;
  return best;
}

/** The body limit of a path (see BODY_LIMITS). */
export function bodyLimitFor(pathname: string, limits: readonly BodyLimit[] = BODY_LIMITS): number {
  return bodyLimitRow(pathname, limits)?.bytes ?? DEFAULT_BODY_LIMIT;
}

/** Thrown into a streamed body at its first byte over the limit (the action says so in words). */
export class BodyTooLargeError extends Error {
  readonly code = "BODY_TOO_LARGE";
}

/**
 * The request's body as it arrives, counted: an error at the first byte over `limit`. When the
 * reader stops before the end (the limit, or an answer that needs none of the body, such as a
 * refused origin), the rest is read and dropped instead of the connection being destroyed: a
 * reset while the client is still sending would lose the answer (the client sees EPIPE), as
 * `endAfterBody` explains for the 413.
 */
function countedBody(req: IncomingMessage, limit: number): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      let size = 0;
      let ended = false;
      try {
        // Leaving this loop early must not destroy the request (and with it the socket).
        for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > limit) throw new BodyTooLargeError(`the body is over ${limit} bytes`);
          yield chunk;
        }
        ended = true;
      } finally {
        if (!ended) dropRestOfBody(req);
      }
    },
  };
}

/**
 * For a streamed body: an answer finished before the body has all arrived (a refusal that read
 * none or part of it) is ended only once the client has sent the rest, which is read and
 * dropped. Ending it at once would let Node close the connection (a client that asked for
 * `Connection: close`) while the client still sends, and the client would get a reset, not the
 * answer: the lingering close of `endAfterBody`, for answers given by Astro.
 */
function finishAfterBody(req: IncomingMessage, res: ServerResponse): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    if (req.complete || req.destroyed) return end(...args);
    const timer = setTimeout(() => {
      end(...args);
      req.socket.destroy();
    }, LINGER_MS);
    timer.unref();
    req.once("end", () => {
      clearTimeout(timer);
      end(...args);
    });
    req.once("close", () => clearTimeout(timer));
    req.resume();
    return res;
  }) as ServerResponse["end"];
}

/** Reads the rest of a body nobody wants and drops it; a body still arriving after LINGER_MS gets its connection cut. */
function dropRestOfBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once("end", stop);
  req.once("close", stop);
  req.resume();
}

type BodyRead = { kind: "ok"; body: Buffer } | { kind: "too-large" } | { kind: "gone" } | { kind: "timeout" };

/**
 * Reads a request body into memory, up to `limit` bytes: a declared Content-Length over the
 * limit is refused before reading anything, and a body without one (chunked) is counted as it
 * streams and refused at the first byte over (see `endAfterBody` for the rest of it).
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => {
      chunks.length = 0;
      settle({ kind: "timeout" });
    }, timeoutMs);
    timer.unref();
    const settle = (r: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: "too-large" });
      } else chunks.push(chunk);
    });
    req.on("end", () => settle({ kind: "ok", body: Buffer.concat(chunks) }));
    req.on("error", () => settle({ kind: "gone" }));
    req.on("close", () => settle({ kind: "gone" }));
  });
}

/** A body Astro reads as it would read the request itself (an async iterable with no own keys). */
function replayableBody(body: Buffer): AsyncIterable<Buffer> {
  return { [Symbol.asyncIterator]: () => Readable.from(body.length > 0 ? [body] : [])[Symbol.asyncIterator]() };
}

/** How long the rest of a refused body is read and dropped before the connection is cut. */
const LINGER_MS = 30_000;

/**
 * Finishes an early answer (a 413) once the client has finished sending: the answer is already
 * written, the rest of the body is read and dropped (nothing is kept), and only then does the
 * response end and, if the client asked for it, the connection close. Closing while the client
 * is still sending would reset the connection and lose the answer, so clients would report a
 * broken pipe instead of 413; this is nginx's "lingering close". A body still arriving after
 * LINGER_MS gets its connection cut.
 */
function endAfterBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) {
    res.end();
    return;
  }
  const timer = setTimeout(() => {
    res.end();
    req.socket.destroy();
  }, LINGER_MS);
  timer.unref();
  req.once("end", () => {
    clearTimeout(timer);
    res.end();
  });
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

/** Whether the request carries a body (declared or chunked). */
function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/** A size in words: "64 KB", "4 MB", "1.5 GB". */
const sizeText = (bytes: number) =>
  bytes >= 2 ** 30
    ? `${Math.floor((bytes / 2 ** 30) * 10) / 10} GB`
    : bytes >= 2 ** 20
      ? `${Math.floor((bytes / 2 ** 20) * 10) / 10} MB`
      : `${Math.round(bytes / 1024)} KB`;

export interface WebServerOptions {
  /** MATWISE_TRUST_PROXY=1: the peer is a reverse proxy, and X-Forwarded-For says who the client is. */
  trustProxy?: boolean;
  /** CSP hashes of the build's own inline scripts (default: none, so no inline script runs). */
  scriptHashes?: readonly string[];
  /** NODE_ENV=production: add Strict-Transport-Security. */
  production?: boolean;
  /** Per-path body limits (default BODY_LIMITS). */
  bodyLimits?: readonly BodyLimit[];
  /** How long an ordinary body may take to arrive (default BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number;
  /** Open connections one client address may hold (default MAX_CONNECTIONS_PER_ADDRESS; not behind a trusted proxy). */
  maxConnectionsPerAddress?: number;
}

/** Options from the environment and the build beside `clientDir`, for `matwise serve`. */
function optionsFromEnv(clientDir: string): WebServerOptions {
  const env = parseEnv();
  const scriptHashes = loadScriptHashes(join(clientDir, "..", "server"));
  if (!scriptHashes)
    logger.warn(
      "the build has no script-hashes.json: inline scripts will be blocked by the Content-Security-Policy (rebuild with `npm run build`)",
    );
  return {
    trustProxy: env.MATWISE_TRUST_PROXY === "1",
    scriptHashes: scriptHashes ?? [],
    production: env.NODE_ENV === "production",
  };
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

/**
 * Wraps Astro's handler with the in-memory static layer, the security headers, the method check
 * and the body limit: Astro only ever sees GET, HEAD and POST, with a body already read and
 * within its limit.
 */
export function createRequestHandler(
  astro: NodeHandler,
  clientDir: string,
  options: WebServerOptions = optionsFromEnv(clientDir),
): NodeHandler {
  const trustProxy = options.trustProxy ?? false;
  const limits = options.bodyLimits ?? BODY_LIMITS;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const security: Record<string, string> = {
    ...baseSecurityHeaders,
    "Content-Security-Policy": contentSecurityPolicy(options.scriptHashes),
    ...(options.production ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
  const files = loadStaticFiles(clientDir, security);
  const plain = (res: ServerResponse, status: number, text: string, extra: OutgoingHttpHeaders = {}) => {
    res
      .writeHead(status, {
        ...security,
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        ...extra,
      })
      .end(text);
  };
  const tooLarge = (req: IncomingMessage, res: ServerResponse, limit: number) => {
    const text = `The request is too large: this address accepts at most ${sizeText(limit)}. ${limit > DEFAULT_BODY_LIMIT ? "Nothing was stored. Choose a smaller file" : "Shorten what you typed"} and send it again.`;
    res.writeHead(413, {
      ...security,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(text),
    });
    res.write(text);
    endAfterBody(req, res);
  };

  /** Answers a request whose body (if any) has been read and is within its limit. */
  const route = (
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string | null,
    body: Buffer | AsyncIterable<Buffer>,
  ) => {
    const method = req.method ?? "GET";
    if (!ALLOWED_METHODS.has(method)) {
      if (method === "OPTIONS") res.writeHead(204, { ...security, Allow: ALLOW }).end();
      else plain(res, 405, `Method not allowed: matwise answers ${ALLOW}.`, { Allow: ALLOW });
      return;
    }
    if (pathname === null) {
      plain(res, 400, "Bad request: the address is not valid.");
      return;
    }
    if (method === "GET" || method === "HEAD") {
      const file = pathname.includes("..") ? undefined : lookup(files, pathname);
      if (file) {
        if (req.headers["if-none-match"] === file.etag) {
          res.writeHead(304, file.notModified).end();
          return;
        }
        const v = pickVariant(req.headers["accept-encoding"], file);
        res.writeHead(200, v.headers);
        res.end(method === "HEAD" ? undefined : v.body);
        return;
      }
    }
    for (const [k, v] of Object.entries(security)) res.setHeader(k, v);
    pinClientAddress(req, trustProxy);
    // Astro reads the body of a POST only; it gets the bytes read here, never the socket.
    if (method === "POST") Object.assign(req, { body: Buffer.isBuffer(body) ? replayableBody(body) : body });
    astro(req, res);
  };

  return (req, res) => {
    const pathname = pathOf(req.url ?? "/");
    if (!hasBody(req)) {
      route(req, res, pathname, Buffer.alloc(0));
      return;
    }
    // Every body is read here, within its limit, before anything answers: whatever the method,
    // the connection is left clean, and nothing after this sees more than the limit.
    const found = bodyLimitRow(pathname ?? "/", limits);
    // A streamed row is for its POST only: any other method's body is read (and limited) as usual.
    const row = found?.stream && req.method !== "POST" ? undefined : found;
    const limit = row?.bytes ?? DEFAULT_BODY_LIMIT;
    if (row?.stream) {
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limit) tooLarge(req, res, limit);
      else {
        finishAfterBody(req, res);
        route(req, res, pathname, countedBody(req, limit));
      }
      return;
    }
    void readBody(req, limit, row?.timeoutMs ?? bodyTimeoutMs).then((read) => {
      if (read.kind === "gone") res.destroy();
      else if (read.kind === "too-large") tooLarge(req, res, limit);
      else if (read.kind === "timeout") {
        // A body this slow is not a person filling in a form: answer, then close the connection.
        const text =
          "The request took too long to arrive, so it was not read. Nothing was changed; please send it again.";
        res.writeHead(408, {
          ...security,
          "content-type": "text/plain; charset=utf-8",
          "cache-control": "no-store",
          connection: "close",
          "content-length": Buffer.byteLength(text),
        });
        res.end(text, () => req.socket.destroy());
      } else route(req, res, pathname, read.body);
    });
  };
}

/**
 * How long one request may take, body included: an hour, so a 1.5 GB sleep export can be sent
 * over a slow connection (Node's default, 5 minutes, would cut it off). Headers still have to
 * arrive within Node's headersTimeout (a minute).
 */
export const REQUEST_TIMEOUT_MS = 60 * 60_000;

export function createWebServer(astro: NodeHandler, clientDir: string, options?: WebServerOptions): Server {
  const resolved = options ?? optionsFromEnv(clientDir);
  const server = createServer(createRequestHandler(astro, clientDir, resolved));
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  if (!resolved.trustProxy)
    limitConnectionsPerAddress(server, resolved.maxConnectionsPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS);
  return server;
}

/** Closes a new connection from an address that already holds `max` open ones (issue 25). */
function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
