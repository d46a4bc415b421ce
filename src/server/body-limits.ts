/**
 * How large a request body may be, in one table: the web server reads it to refuse a body
 * before anything else sees it, and the routes that take files read their own row from it, so
 * the figure a page states and the figure the server holds it to are one number. Also the one
 * byte counter every body reader uses ({@link limitedChunks}).
 * @module
 */
import { MAX_IMPORT_BYTES } from "../core/experiments/import";
import { MAX_SLEEP_IMPORT_BYTES } from "../core/health-import/detect";

/** Largest request body, in bytes, for every path without its own row in BODY_LIMITS: forms and JSON. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Room for a form's own fields around the file it carries. */
export const FORM_ROOM_BYTES = 64 * 1024;

/**
 * How long an ordinary body (a form, JSON: at most 64 KB) may take to arrive before the request
 * is answered 408 and its connection closed (issue 25: a form sent a byte every 10 s held a
 * connection for the upload's hour).
 */
export const BODY_TIMEOUT_MS = 30_000;

/** A larger body limit for the paths under `prefix`, with the reason it is needed. */
export interface BodyLimit {
  prefix: string;
  /** The most bytes the web server lets through to the route. */
  bytes: number;
  why: string;
  /**
   * Hand the body on as it arrives, counted, instead of reading it into memory first: for
   * uploads too large to hold (the action streams them to a temporary file). A declared length
   * over the limit is still refused by the web server before anything is read.
   */
  stream?: boolean;
  /**
   * How long the body may take to arrive (default BODY_TIMEOUT_MS, 30 s). Only uploads get
   * longer; a streamed row is bounded by the web server's REQUEST_TIMEOUT_MS instead.
   */
  timeoutMs?: number;
}

/**
 * What an experiment import's form may carry (its action holds the body to this and says so in
 * words under the file): the CSV file (up to MAX_IMPORT_BYTES, 2 MB) and the form around it.
 */
export const EXPERIMENT_IMPORT_FORM_BYTES = MAX_IMPORT_BYTES + FORM_ROOM_BYTES;

/**
 * POST /experiments/import. The web server lets through a file's limit more than the form
 * (EXPERIMENT_IMPORT_FORM_BYTES), so a file up to twice too large still reaches the action, which
 * refuses it in words on the page; only a larger body gets the web server's plain 413.
 */
export const EXPERIMENT_IMPORT_BODY: BodyLimit = {
  prefix: "/experiments/import",
  bytes: EXPERIMENT_IMPORT_FORM_BYTES + MAX_IMPORT_BYTES,
  timeoutMs: 10 * 60_000,
  why: "an experiment's CSV file (up to 2 MB) with its form",
};

/**
 * POST /account/import: streamed to a temporary file by the action (src/server/uploads.ts),
 * never held in memory. The action refuses a file over MAX_SLEEP_IMPORT_BYTES in words.
 */
export const SLEEP_IMPORT_BODY: BodyLimit = {
  prefix: "/account/import",
  bytes: MAX_SLEEP_IMPORT_BYTES + 1024 * 1024,
  stream: true,
  why: "a sleep export from a wearable (Apple Health's export.zip, up to 1.5 GB) with its form",
};

/**
 * Paths that may receive more than DEFAULT_BODY_LIMIT: uploads. The longest matching prefix wins.
 * The action behind each checks its own, smaller limit on the file and says so in words.
 */
export const BODY_LIMITS: readonly BodyLimit[] = [EXPERIMENT_IMPORT_BODY, SLEEP_IMPORT_BODY];

/** The body limit row of a path (see BODY_LIMITS), or undefined for the default. */
export function bodyLimitRow(pathname: string, limits: readonly BodyLimit[] = BODY_LIMITS): BodyLimit | undefined {
  let best: BodyLimit | undefined;
  for (const l of limits)
    if (pathname.startsWith(l.prefix) && (!best || l.prefix.length > best.prefix.length)) best = l;
  return best;
}

/** The body limit of a path (see BODY_LIMITS). */
export function bodyLimitFor(pathname: string, limits: readonly BodyLimit[] = BODY_LIMITS): number {
  return bodyLimitRow(pathname, limits)?.bytes ?? DEFAULT_BODY_LIMIT;
}

/** Thrown at the first byte of a body over its limit (the reader says so in words). */
export class BodyTooLargeError extends Error {
  readonly code = "BODY_TOO_LARGE";
}

/** Whether a declared Content-Length is already over `limit` (a missing or unreadable one is not). */
export function declaredOver(contentLength: string | null | undefined, limit: number): boolean {
  const declared = Number(contentLength);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * The one byte counter: `source`'s chunks as they come, and a BodyTooLargeError at the first
 * byte over `limit` (after the chunks within it). Leaving the loop early (the error included)
 * returns `source`'s iterator, as `for await` does.
 */
export async function* limitedChunks<T extends Uint8Array>(source: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLargeError(`the body is over ${limit} bytes`);
    yield chunk;
  }
}

/** A size in words: "64 KB", "4 MB", "1.5 GB". */
export function sizeText(bytes: number): string {
  return bytes >= 2 ** 30
    ? `${Math.floor((bytes / 2 ** 30) * 10) / 10} GB`
    : bytes >= 2 ** 20
      ? `${Math.floor((bytes / 2 ** 20) * 10) / 10} MB`
      : `${Math.round(bytes / 1024)} KB`;
}
