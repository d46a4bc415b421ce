/** Who is asking: the signed-in person of a request, and the client's address. */
import type { AstroGlobal, APIContext } from "astro";
import { UnauthenticatedError } from "../../core/errors";
import { DEFAULT_CLOCK, parseTimeZone, type Clock } from "../../core/datetime";
import { CLIENT_IP_HEADER } from "../client-address";
import { getAuth } from "./auth";
import { cachedSession, rememberSession, sessionCacheKey, sessionGeneration } from "./session-cache";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  /** IANA time zone of the person's days and clock times. */
  timeZone: string;
}

export interface CurrentSession {
  user: CurrentUser;
  session: { id: string; token: string; createdAt: Date; expiresAt: Date };
}

type Ctx = Pick<APIContext, "request" | "clientAddress" | "url" | "redirect"> | AstroGlobal;

/**
 * The signed-in person and their session, or null. A session found in the last few seconds for
 * the same signed cookie is reused without a query (src/server/auth/session-cache.ts).
 */
export async function getCurrentSession(request: Request): Promise<CurrentSession | null> {
  const key = sessionCacheKey(request);
  const cached = key ? cachedSession<CurrentSession>(key) : undefined;
  if (cached) return cached;
  const startedAt = sessionGeneration();
  const found = await lookUpSession(request);
  if (key && found) rememberSession(key, found, startedAt);
  return found;
}

async function lookUpSession(request: Request): Promise<CurrentSession | null> {
  const { auth } = await getAuth();
  const result = await auth.api.getSession({ headers: request.headers });
  if (!result) return null;
  const { user, session } = result;
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      createdAt: new Date(user.createdAt),
      timeZone: parseTimeZone(user.timeZone) ?? DEFAULT_CLOCK.timeZone,
    },
    session: {
      id: session.id,
      token: session.token,
      createdAt: new Date(session.createdAt),
      expiresAt: new Date(session.expiresAt),
    },
  };
}

/** Whether the request carries a session cookie at all: without one, nobody is signed in and no query is needed. */
export function mayBeSignedIn(request: Request): boolean {
  return /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=/.test(request.headers.get("cookie") ?? "");
}

export async function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  return (await getCurrentSession(request))?.user ?? null;
}

/** The signed-in session, or a redirect to the sign-in page that comes back here. */
export async function requireSession(ctx: Ctx): Promise<CurrentSession | Response> {
  const current = await getCurrentSession(ctx.request);
  if (current) return current;
  const next = `${ctx.url.pathname}${ctx.url.search}`;
  return ctx.redirect(`/account/sign-in?next=${encodeURIComponent(next)}`, 303);
}

/**
 * The client's address, as the web server worked it out (src/server/client-address.ts): the
 * socket's peer, or the right-most untrusted X-Forwarded-For hop behind a trusted proxy. Every
 * per-address limit uses this one function. Without our web server in front (astro dev), Astro's
 * own `clientAddress` stands in.
 */
export function clientIp(ctx: Pick<APIContext, "request" | "clientAddress">): string {
  const resolved = ctx.request.headers.get(CLIENT_IP_HEADER);
  if (resolved) return resolved;
  try {
    return ctx.clientAddress || "unknown";
  } catch {
    return "unknown";
  }
}

/** For endpoints: the signed-in person, or UnauthenticatedError (a 401 through `handle`). */
export async function requireUser(request: Request, message = "Please sign in first."): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (!user) throw new UnauthenticatedError(message);
  return user;
}

/**
 * The clock a person reads times on: their time zone, or UTC for a visitor whose zone is not
 * known. The one way a person's clock is made; `loadPersonClock` (src/server/person-clock.ts) uses it
 * for a person known only by id.
 */
export function clockOf(user: Pick<CurrentUser, "timeZone"> | null, visitorZone?: string | null): Clock {
  return {
    locale: DEFAULT_CLOCK.locale,
    timeZone: user?.timeZone ?? parseTimeZone(visitorZone) ?? DEFAULT_CLOCK.timeZone,
  };
}
