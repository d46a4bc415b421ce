/**
 * The account forms' server side. Each action validates the form, applies the limits,
 * calls better-auth, and returns either a redirect (success) or what the page needs to
 * show the form again: the status, a message per field, and the values to refill.
 * @module
 */
import type { APIContext } from "astro";
import { APIError } from "better-auth/api";
import {
  ChangePasswordSchema,
  DeleteAccountSchema,
  ForgotPasswordSchema,
  ResetPasswordSchema,
  safeNextPath,
  SignInSchema,
  SignUpSchema,
} from "../../core/account";
import { parseTimeZone } from "../../core/datetime";
import { ValidationError } from "../../core/errors";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseWith } from "../http";
import { logger } from "../log";
import { publicOrigin } from "../origin";
import { accountKey, AUTH_LIMITS, clearRateLimit, ipKey, requireWithinLimits } from "../rate-limit";
import { deleteResetTokens, getPasswordHash } from "../repositories/credentials";
import { deletePersonalData } from "../repositories/personal-data";
import { getAuth } from "./auth";
import { withResetLinkOrigin } from "./reset-tokens";
import { forgetAllSessions, forgetSession, forgetSessionsOf } from "./session-cache";
import { clientIp, getCurrentSession } from "./session";

type Ctx = FormCtx & Pick<APIContext, "clientAddress">;

/** {@link formAction} for the account forms: better-auth's own refusals become a message on the form. */
function accountAction(
  ctx: Ctx,
  keep: readonly string[],
  body: (raw: RawForm) => Promise<Response>,
): Promise<FormResult> {
  return formAction(ctx, { keep }, async (raw) => {
    try {
      return await body(raw);
    } catch (err) {
      if (err instanceof APIError) throw new ValidationError("", { "": [err.message] });
      throw err;
    }
  });
}

/** A redirect carrying the cookies better-auth set (or cleared). */
function redirectWithCookies(ctx: Ctx, to: string, from: Response | Headers | null): Response {
  const res = ctx.redirect(to, 303);
  const headers = new Headers(res.headers);
  const source = from instanceof Response ? from.headers : from;
  for (const c of source?.getSetCookie() ?? []) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}

export async function signUp(db: Db, ctx: Ctx): Promise<FormResult> {
  return accountAction(ctx, ["name", "email"], async (raw) => {
    const input = parseWith(SignUpSchema, raw, "form");
    // Filled in by the browser (a hidden field); without JavaScript it is empty and the account starts on UTC.
    const timeZone = parseTimeZone(field(raw, "timeZone")) ?? "UTC";
    await requireWithinLimits(db, [{ key: ipKey("sign-up", clientIp(ctx)), policy: AUTH_LIMITS.signUpPerIp }]);
    const { auth } = await getAuth();
    const res = await auth.api.signUpEmail({
      body: { name: input.name, email: input.email, password: input.password, timeZone },
      headers: ctx.request.headers,
      asResponse: true,
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
      if (res.status === 422 || body.code?.includes("ALREADY_EXISTS"))
        throw new ValidationError("", { email: ["An account with this email already exists. Sign in instead."] });
      throw new ValidationError("", { "": [body.message ?? "The account could not be created."] });
    }
    return redirectWithCookies(ctx, safeNextPath(ctx.url.searchParams.get("next")), res);
  });
}

export async function signIn(db: Db, ctx: Ctx): Promise<FormResult> {
  return accountAction(ctx, ["email"], async (raw) => {
    const input = parseWith(SignInSchema, raw, "form");
    const perAccount = accountKey("sign-in", input.email);
    await requireWithinLimits(db, [
      { key: ipKey("sign-in", clientIp(ctx)), policy: AUTH_LIMITS.signInPerIp },
      { key: perAccount, policy: AUTH_LIMITS.signInPerAccount },
    ]);
    const { auth } = await getAuth();
    const res = await auth.api.signInEmail({
      body: { email: input.email, password: input.password },
      headers: ctx.request.headers,
      asResponse: true,
    });
    if (!res.ok) throw new ValidationError("", { "": ["The email or the password is not right."] });
    await clearRateLimit(db, perAccount);
    return redirectWithCookies(ctx, safeNextPath(ctx.url.searchParams.get("next")), res);
  });
}

export async function signOut(ctx: Ctx, everywhere: boolean): Promise<Response> {
  const { auth } = await getAuth();
  const current = everywhere ? await getCurrentSession(ctx.request) : null;
  if (current) await auth.api.revokeSessions({ headers: ctx.request.headers });
  const res = await auth.api.signOut({ headers: ctx.request.headers, asResponse: true });
  // The kept sessions go with the rows (decision 095).
  if (current) forgetSessionsOf(current.user.id);
  forgetSession(ctx.request);
  return redirectWithCookies(
    ctx,
    everywhere ? "/account/sign-in?signed-out=everywhere" : "/account/sign-in?signed-out=1",
    res,
  );
}

export async function changePassword(db: Db, ctx: Ctx): Promise<FormResult> {
  return accountAction(ctx, [], async (raw) => {
    const input = parseWith(ChangePasswordSchema, raw, "form");
    const current = await getCurrentSession(ctx.request);
    if (!current) return ctx.redirect("/account/sign-in", 303);
    await requireWithinLimits(db, [
      { key: accountKey("sign-in", current.user.email), policy: AUTH_LIMITS.signInPerAccount },
    ]);
    const { auth } = await getAuth();
    const res = await auth.api.changePassword({
      body: {
        currentPassword: input.currentPassword,
        newPassword: input.newPassword,
        revokeOtherSessions: input.signOutOthers === "on",
      },
      headers: ctx.request.headers,
      asResponse: true,
    });
    if (!res.ok) throw new ValidationError("", { currentPassword: ["That is not your current password."] });
    forgetSessionsOf(current.user.id);
    await deleteResetTokens(db, current.user.id);
    return redirectWithCookies(ctx, "/account?changed=password", res);
  });
}

/** Checks a password against the person's stored hash (for confirming a deletion). */
async function passwordMatches(db: Db, userId: string, password: string): Promise<boolean> {
  const hash = await getPasswordHash(db, userId);
  if (!hash) return false;
  const { auth } = await getAuth();
  const context = await auth.$context;
  return context.password.verify({ hash, password });
}

export async function deleteAccount(db: Db, ctx: Ctx): Promise<FormResult> {
  return accountAction(ctx, [], async (raw) => {
    const input = parseWith(DeleteAccountSchema, raw, "form");
    const current = await getCurrentSession(ctx.request);
    if (!current) return ctx.redirect("/account/sign-in", 303);
    await requireWithinLimits(db, [
      { key: accountKey("sign-in", current.user.email), policy: AUTH_LIMITS.signInPerAccount },
    ]);
    if (!(await passwordMatches(db, current.user.id, input.password)))
      throw new ValidationError("", { password: ["That is not your password."] });
    await deletePersonalData(db, current.user.id);
    forgetSessionsOf(current.user.id);
    const { auth } = await getAuth();
    // The session row is gone; this only clears the cookie.
    const res = await auth.api.signOut({ headers: ctx.request.headers, asResponse: true }).catch(() => null);
    const out = redirectWithCookies(ctx, "/account/deleted", res);
    out.headers.append("set-cookie", "better-auth.session_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    out.headers.append(
      "set-cookie",
      "__Secure-better-auth.session_token=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
    );
    return out;
  });
}

export async function requestPasswordReset(db: Db, ctx: Ctx): Promise<FormResult> {
  return accountAction(ctx, ["email"], async (raw) => {
    const input = parseWith(ForgotPasswordSchema, raw, "form");
    const { auth, resetByEmail } = await getAuth();
    if (!resetByEmail) return ctx.redirect("/account/forgot-password", 303);
    await requireWithinLimits(db, [
      { key: ipKey("reset", clientIp(ctx)), policy: AUTH_LIMITS.signUpPerIp },
      { key: accountKey("reset", input.email), policy: AUTH_LIMITS.resetPerAccount },
    ]);
    // The answer is the same, at once, for every address: whether an account exists, its link and
    // the mail are handled after answering, and a failure there is only logged.
    const headers = new Headers(ctx.request.headers);
    void withResetLinkOrigin(publicOrigin(headers), () =>
      auth.api.requestPasswordReset({ body: { email: input.email }, headers }),
    ).catch((err: unknown) => logger.error("password reset request failed", err));
    return ctx.redirect("/account/forgot-password?sent=1", 303);
  });
}

export async function resetPassword(ctx: Ctx): Promise<FormResult> {
  return accountAction(ctx, ["token"], async (raw) => {
    const input = parseWith(ResetPasswordSchema, raw, "form");
    const { auth } = await getAuth();
    try {
      await auth.api.resetPassword({ body: { newPassword: input.newPassword, token: input.token } });
    } catch (err) {
      if (err instanceof APIError)
        throw new ValidationError("", { "": ["This reset link has expired or was already used. Ask for a new one."] });
      throw err;
    }
    forgetAllSessions(); // the reset revoked the person's sessions; the link does not say whose
    return ctx.redirect("/account/sign-in?reset=1", 303);
  });
}
