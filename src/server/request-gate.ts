/**
 * The gate every request passes before the web server proper (src/server/web-server.ts):
 *
 * - while the server stops (SIGTERM), requests already running finish and new ones get a
 *   503 with `Connection: close`, so nothing is cut off half-way and clients learn to retry;
 * - while the disk of the embedded database is below its minimum free space, requests that
 *   change something get a 503 before they reach the database (reads still work);
 * - a request that met an unavailable database (see src/server/availability.ts) is answered
 *   with a 503 instead of the plain 500 that unknown errors get.
 *
 * It takes over the `request` listeners of a server that is already set up, so it adds to
 * whatever the web server does without changing it.
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { DatabaseUnavailableError } from "./availability";
import { describeDiskSpace, runInRequestContext, UNAVAILABLE_MESSAGES, type DiskSpace } from "./availability";
import { escapeMarkup } from "../core/markup";
import { logger } from "./log";
import { baseSecurityHeaders } from "./security-headers";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Seconds a client is told to wait before it tries again. */
const RETRY_AFTER_SECONDS = 30;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface GateOptions {
  /** Free space of the embedded database's disk; absent for PostgreSQL. */
  diskSpace?: () => DiskSpace;
}

export interface RequestGate {
  /** Requests being answered right now. */
  inFlight(): number;
  /** True once `drain` was called. */
  draining(): boolean;
  /**
   * Stops taking new requests (they get 503) and resolves once every request in flight has
   * been answered, or when `deadlineMs` has passed, with the number still running then.
   */
  drain(deadlineMs: number): Promise<{ cutOff: number }>;
  /**
   * Stops listening and closes every connection: idle keep-alive ones at once, and ones that
   * connected but have not sent their request yet after they got their 503 (or `graceMs`).
   * Closing those at once would reset them, and their clients could not tell whether their
   * request had been done.
   */
  close(graceMs: number): Promise<void>;
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("text/html");
}

/** The body and headers of a 503 that says why, as HTML for a browser and JSON otherwise. */
export function unavailableResponse(
  req: IncomingMessage,
  message: string,
  extra: OutgoingHttpHeaders = {},
): { headers: OutgoingHttpHeaders; body: Buffer } {
  const html = wantsHtml(req);
  const body = Buffer.from(
    html
      ? `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Try again later · matwise</title></head><body><main><h1>Try again later</h1><p>${escapeMarkup(message)}</p></main></body></html>\n`
      : `${JSON.stringify({ error: message })}\n`,
  );
  return {
    body,
    headers: {
      ...baseSecurityHeaders,
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      "Content-Type": html ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "no-store",
      "Retry-After": String(RETRY_AFTER_SECONDS),
      ...extra,
    },
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, message: string, extra: OutgoingHttpHeaders = {}): void {
  const { headers, body } = unavailableResponse(req, message, extra);
  // Read and drop the body (a socket closed with unread data is reset, and the client could
  // lose this answer), and end the connection with the answer.
  req.resume();
  res.shouldKeepAlive = false;
  res.writeHead(503, { ...headers, Connection: "close" });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * Turns a 5xx answer of a request that met an unavailable database into a 503 that says so:
 * the handler's own head and body are replaced as they are written.
 */
function rewriteUnavailable(
  req: IncomingMessage,
  res: ServerResponse,
  unavailable: () => DatabaseUnavailableError | undefined,
): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  res.writeHead = (status: number, ...rest: unknown[]) => {
    const err = status >= 500 ? unavailable() : undefined;
    if (!err) return writeHead(status, ...rest);
    const { headers, body } = unavailableResponse(req, err.message);
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    logger.warn(`${req.method ?? "?"} ${req.url ?? "?"}: answered 503 (${err.reason})`);
    writeHead(503, headers);
    res.write = ((_chunk: unknown, ...rest: unknown[]) => {
      const cb = rest.find((a) => typeof a === "function") as (() => void) | undefined;
      if (cb) process.nextTick(cb);
      return true;
    }) as ServerResponse["write"];
    res.end = ((...a: unknown[]) => {
      const cb = a.find((x) => typeof x === "function");
      return end(req.method === "HEAD" ? undefined : body, cb);
    }) as ServerResponse["end"];
    return res;
  };
}

/** Puts the gate in front of every `request` listener `server` has now. */
export function installRequestGate(server: Server, opts: GateOptions = {}): RequestGate {
  const inner = server.listeners("request") as Listener[];
  server.removeAllListeners("request");
  let inFlight = 0;
  let draining = false;
  const idle: (() => void)[] = [];
  /** Open connections: how many requests each has had, and whether one is running. */
  const connections = new Map<Socket, { requests: number; active: boolean }>();
  server.on("connection", (socket: Socket) => {
    connections.set(socket, { requests: 0, active: false });
    socket.once("close", () => connections.delete(socket));
  });
  const track = (req: IncomingMessage, res: ServerResponse) => {
    const c = connections.get(req.socket);
    if (!c) return;
    c.requests++;
    c.active = true;
    res.once("close", () => (c.active = false));
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    track(req, res);
    if (draining) {
      refuse(req, res, UNAVAILABLE_MESSAGES.stopping);
      return;
    }
    if (!READ_METHODS.has(req.method ?? "GET")) {
      const disk = opts.diskSpace?.();
      if (disk?.low) {
        logger.warn(`${req.method ?? "?"} ${req.url ?? "?"}: refused with 503, ${describeDiskSpace(disk)}`);
        refuse(req, res, UNAVAILABLE_MESSAGES["disk-full"]);
        return;
      }
    }
    inFlight++;
    res.once("close", () => {
      inFlight--;
      if (inFlight === 0) for (const done of idle.splice(0)) done();
    });
    runInRequestContext((state) => {
      rewriteUnavailable(req, res, () => state.unavailable);
      for (const listener of inner) listener.call(server, req, res);
    });
  });

  return {
    inFlight: () => inFlight,
    draining: () => draining,
    drain(deadlineMs) {
      draining = true;
      if (inFlight === 0) return Promise.resolve({ cutOff: 0 });
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ cutOff: inFlight }), deadlineMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve({ cutOff: 0 });
        });
      });
    },
    async close(graceMs) {
      draining = true;
      server.close();
      const deadline = Date.now() + graceMs;
      for (;;) {
        // A connection that has been answered and waits for another request is closed now.
        for (const [socket, c] of connections) if (c.requests > 0 && !c.active) socket.destroy();
        if (connections.size === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      server.closeAllConnections();
      for (const socket of connections.keys()) socket.destroy();
    },
  };
}
