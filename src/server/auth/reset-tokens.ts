/**
 * Password-reset links are single-use and short-lived, and at most one is outstanding per
 * person: a newer link, a password change and a reset (with any link) each delete the rest
 * (`deleteResetTokens` in src/server/repositories/credentials.ts). This module carries the
 * origin a mailed link should use.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

const linkOrigin = new AsyncLocalStorage<string>();

/** Runs `fn` with `origin` as the origin of reset links mailed inside it (see `resetLinkOrigin`). */
export function withResetLinkOrigin<T>(origin: string, fn: () => Promise<T>): Promise<T> {
  return linkOrigin.run(origin, fn);
}

/** The origin for a reset link mailed now: the one the request that asked for it was given, if any. */
export function resetLinkOrigin(): string | undefined {
  return linkOrigin.getStore();
}
