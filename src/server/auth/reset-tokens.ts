/**
 * Password-reset links are single-use and short-lived, and at most one is outstanding per
 * person: a newer link, a password change and a reset (with any link) each delete the rest.
 * better-auth keeps a link as a `verification` row named `reset-password:<token>` whose value
 * is the user's id.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { and, eq, like, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { verification } from "../db/schema";

const PREFIX = "reset-password:";

/** Deletes every outstanding reset link of `userId`, except the one for `keepToken` when given. */
export async function deleteResetTokens(db: Db, userId: string, keepToken?: string): Promise<void> {
  await db
    .delete(verification)
    .where(
      and(
        eq(verification.value, userId),
        like(verification.identifier, `${PREFIX}%`),
        keepToken === undefined ? undefined : ne(verification.identifier, `${PREFIX}${keepToken}`),
      ),
    );
}

const linkOrigin = new AsyncLocalStorage<string>();

/** Runs `fn` with `origin` as the origin of reset links mailed inside it (see `resetLinkOrigin`). */
export function withResetLinkOrigin<T>(origin: string, fn: () => Promise<T>): Promise<T> {
  return linkOrigin.run(origin, fn);
}

/** The origin for a reset link mailed now: the one the request that asked for it was given, if any. */
export function resetLinkOrigin(): string | undefined {
  return linkOrigin.getStore();
}
