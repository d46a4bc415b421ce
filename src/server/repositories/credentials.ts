/**
 * The credential rows better-auth owns (`account`, `verification`), read and pruned where
 * matwise needs to: a password hash to confirm a deletion, and the outstanding reset links.
 * better-auth keeps a reset link as a `verification` row named `reset-password:<token>` whose
 * value is the user's id.
 * @module
 */
import { and, eq, like, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { account, verification } from "../db/schema";

const RESET_PREFIX = "reset-password:";

/** Deletes every outstanding reset link of `userId`, except the one for `keepToken` when given. */
export async function deleteResetTokens(db: Db, userId: string, keepToken?: string): Promise<void> {
  await db
    .delete(verification)
    .where(
      and(
        eq(verification.value, userId),
        like(verification.identifier, `${RESET_PREFIX}%`),
        keepToken === undefined ? undefined : ne(verification.identifier, `${RESET_PREFIX}${keepToken}`),
      ),
    );
}

/** The stored hash of the person's password, or null when they have none (or no such account). */
export async function getPasswordHash(db: Db, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ hash: account.password })
    .from(account)
    .where(and(eq(account.userId, userId), eq(account.providerId, "credential")));
  return row?.hash ?? null;
}
