/**
 * Reading a request body at the web server, within its limit (src/server/body-limits.ts): into
 * memory for forms and JSON, or counted as it arrives for a streamed upload; and finishing an
 * early answer only once the client has sent the rest, so the client gets the answer instead of
 * a reset connection (nginx's "lingering close").
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { BodyTooLargeError, declaredOver, limitedChunks } from "./body-limits";

/** How long the rest of a refused body is read and dropped before the connection is cut. */
const LINGER_MS = 30_000;

/** The request's chunks as they arrive; leaving the loop early does not destroy the request (and with it the socket). */
function chunksOf(req: IncomingMessage): AsyncIterable<Buffer> {
  return req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
}

/**
 * The request's body as it arrives, counted: an error at the first byte over `limit`. When the
 * reader stops before the end (the limit, or an answer that needs none of the body, such as a
 * refused origin), the rest is read and dropped instead of the connection being destroyed: a
 * reset while the client is still sending would lose the answer (the client sees EPIPE), as
 * `endAfterBody` explains for the 413.
 */
export function countedBody(req: IncomingMessage, limit: number): AsyncIterable<Buffer> {
  return {
    async *[Symbol.asyncIterator]() {
      let ended = false;
      try {
        yield* limitedChunks(chunksOf(req), limit);
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
export function finishAfterBody(req: IncomingMessage, res: ServerResponse): void {
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

export type BodyRead = { kind: "ok"; body: Buffer } | { kind: "too-large" } | { kind: "gone" } | { kind: "timeout" };

/**
 * Reads a request body into memory, up to `limit` bytes: a declared Content-Length over the
 * limit is refused before reading anything, and a body without one (chunked) is counted as it
 * streams and refused at the first byte over (see `endAfterBody` for the rest of it). A body
 * not all there after `timeoutMs` is a timeout (what arrives after it is dropped).
 */
export async function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<BodyRead> {
  if (declaredOver(req.headers["content-length"], limit)) return { kind: "too-large" };
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<BodyRead>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
    timer.unref();
  });
  const read = async (): Promise<BodyRead> => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of limitedChunks(chunksOf(req), limit)) if (!settled) chunks.push(chunk);
      return { kind: "ok", body: Buffer.concat(chunks) };
    } catch (err) {
      return err instanceof BodyTooLargeError ? { kind: "too-large" } : { kind: "gone" };
    }
  };
  try {
    return await Promise.race([read(), timeout]);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}

/** A body Astro reads as it would read the request itself (an async iterable with no own keys). */
export function replayableBody(body: Buffer): AsyncIterable<Buffer> {
  return { [Symbol.asyncIterator]: () => Readable.from(body.length > 0 ? [body] : [])[Symbol.asyncIterator]() };
}

/**
 * Finishes an early answer (a 413) once the client has finished sending: the answer is already
 * written, the rest of the body is read and dropped (nothing is kept), and only then does the
 * response end and, if the client asked for it, the connection close. Closing while the client
 * is still sending would reset the connection and lose the answer, so clients would report a
 * broken pipe instead of 413; this is nginx's "lingering close". A body still arriving after
 * LINGER_MS gets its connection cut.
 */
export function endAfterBody(req: IncomingMessage, res: ServerResponse): void {
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
export function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}
