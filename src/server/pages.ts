/**
 * What a server-rendered page needs before it renders: the database to pass to its loader and
 * action, and for a signed-in page the person (or the redirect to sign in) and the outcome of a
 * POST. Pages import this rather than src/server/db, so the database stays a parameter of every
 * loader and action.
 * @module
 */
import type { APIContext } from "astro";
import { NotFoundError } from "../core/errors";
import { requireSession, type CurrentSession } from "./auth/session";
import { getDb, type Db } from "./db/client";
import { runPost, type FormFailure, type FormResult, type PageCtx } from "./forms";

/** The process's database, for a page or an endpoint to pass to its loader or action. */
export function pageDb(): Promise<Db> {
  return getDb();
}

/** The parts of a page's `Astro` that {@link signedInPage} uses. */
export type SignedInCtx = PageCtx & Pick<APIContext, "url" | "redirect" | "request" | "clientAddress">;

/** A signed-in page's start: the database, the person's session and, after a POST, the form's failure (else null). */
export interface SignedInPage {
  db: Db;
  current: CurrentSession;
  failure: FormFailure | null;
}

/** What {@link signedInPage} calls; the defaults are the real ones, tests pass stand-ins. */
export interface PageDeps {
  session: (ctx: SignedInCtx) => Promise<CurrentSession | Response>;
  db: () => Promise<Db>;
}

const realDeps: PageDeps = { session: requireSession, db: getDb };

/**
 * Guards a page and runs its POST in one call: a redirect to sign in when nobody is signed in,
 * the action's redirect when a POST succeeded (return either from the page), or the page's start
 * ({@link SignedInPage}) with the failure of a refused POST (the page's status already set from it).
 * A GET runs no action.
 */
export async function signedInPage<C extends SignedInCtx>(
  page: C,
  action?: (db: Db, ctx: C, current: CurrentSession) => Promise<FormResult>,
  deps: PageDeps = realDeps,
): Promise<SignedInPage | Response> {
  const current = await deps.session(page);
  if (current instanceof Response) return current;
  const db = await deps.db();
  const failure = action ? await runPost(page, (ctx) => action(db, ctx, current)) : null;
  if (failure instanceof Response) return failure;
  return { db, current, failure };
}

/**
 * What a page's loader found, or null when it is missing or not the person's (NotFoundError),
 * with the page's status set to 404 so the page renders its own "not found" words. Other errors
 * pass through.
 */
export async function orNotFound<T>(page: Pick<PageCtx, "response">, loading: Promise<T>): Promise<T | null> {
  try {
    return await loading;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    page.response.status = 404;
    return null;
  }
}
