/** Who is asking: the signed-in person of a request, and the client's address. */
import type { AstroGlobal, APIContext } from "astro";
import { DEFAULT_CLOCK, parseTimeZone, type Clock } from "../../core/datetime";
import { parseEnv } from "../env";
import { getAuth } from "./auth";

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

/** The signed-in person and their session, or null. */
export async function getCurrentSession(request: Request): Promise<CurrentSession | null> {
  const { auth } = await getAuth();
  const result = await auth.api.getSession({ headers: request.headers });
  if (!result) return null;
  const { user, session } = result;
  return {
    user: { id: user.id, email: user.email, name: user.name, createdAt: new Date(user.createdAt), timeZone: parseTimeZone(user.timeZone) ?? "UTC" },
    session: { id: session.id, token: session.token, createdAt: new Date(session.createdAt), expiresAt: new Date(session.expiresAt) },
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

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(ctx: Pick<APIContext, "request" | "clientAddress">): string {
  if (parseEnv().MATWISE_TRUST_PROXY === "1") {
    const forwarded = ctx.request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return ctx.clientAddress || "unknown";
  } catch {
    return "unknown";
  }
}

/** The clock a person reads times on: their time zone, or UTC for a visitor whose zone is not known. */
export function clockOf(user: Pick<CurrentUser, "timeZone"> | null, visitorZone?: string | null): Clock {
  return { locale: DEFAULT_CLOCK.locale, timeZone: user?.timeZone ?? parseTimeZone(visitorZone) ?? DEFAULT_CLOCK.timeZone };
}
