/**
 * Named domain errors. Core code throws these (or returns failures as data);
 * it never mentions HTTP. `src/server/http.ts` maps them to responses in one place.
 * @module
 */

/** Input that failed validation; `issues` maps a field (or "" for the whole input) to messages. */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  constructor(
    message: string,
    readonly issues: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** A thing that does not exist, or that the caller may not see (we never tell which). */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** The caller must sign in first. */
export class UnauthenticatedError extends Error {
  override readonly name = "UnauthenticatedError";
}

/** The request conflicts with the current state (for example, a duplicate). */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** Too many requests from one client or for one account. */
export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
