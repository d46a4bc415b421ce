/**
 * The HTTP server in front of Astro. Prerendered pages and built assets are answered from
 * memory (`static-files.ts`), compressed, with an ETag and a per-page Content-Security-Policy.
 * Every request body is read here within its limit (`body-limits.ts`, read by `request-body.ts`)
 * before anything answers. Everything else (server-rendered pages, endpoints, other files) goes
 * to Astro's handler.
 * @module
 */
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import { join } from "node:path";
import type { Socket } from "node:net";
import {
  BODY_LIMITS,
  BODY_TIMEOUT_MS,
  bodyLimitRow,
  declaredOver,
  DEFAULT_BODY_LIMIT,
  sizeText,
  type BodyLimit,
} from "./body-limits";
import { CLIENT_IP_HEADER, resolveClientAddress } from "./client-address";
import { parseEnv } from "./env";
import { logger } from "./log";
import { countedBody, endAfterBody, finishAfterBody, hasBody, readBody, replayableBody } from "./request-body";
import { baseSecurityHeaders, contentSecurityPolicy, loadScriptHashes } from "./security-headers";
import { loadStaticFiles, lookupStatic, pickVariant } from "./static-files";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

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

/**
 * The most connections one client address may hold open at once; more are closed as they come.
 * Not applied behind a trusted proxy, where every connection comes from the proxy (limit there).
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 32;

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
      const file = pathname.includes("..") ? undefined : lookupStatic(files, pathname);
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
      if (declaredOver(req.headers["content-length"], limit)) tooLarge(req, res, limit);
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
