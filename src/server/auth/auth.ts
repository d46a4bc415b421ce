/**
 * Accounts through better-auth (email and password, sessions in the database, scrypt
 * password hashes). Pages call `auth.api.*` on the server; the library's HTTP handler is
 * not mounted, so every way in goes through our forms, our validation and our limits.
 * @module
 */
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../core/account";
import { getDatabase, type Db } from "../db/client";
import { account, rateLimit, session, user, verification } from "../db/schema";
import { parseEnv, type Env } from "../env";
import { createMailer, type Mailer } from "../mailer";
import { getOrCreateSecret } from "../secrets";
import { deleteResetTokens } from "../repositories/credentials";
import { resetLinkOrigin } from "./reset-tokens";

const SESSION_DAYS = 30;

export interface AuthOptions {
  secret: string;
  /** Public site address; links in emails use it unless the request gave one (see `withResetLinkOrigin`). */
  siteUrl?: string | undefined;
  secureCookies: boolean;
  mailer: Mailer | null;
}

export function createAuth(db: Db, opts: AuthOptions) {
  const mailer = opts.mailer;
  return betterAuth({
    appName: "matwise",
    secret: opts.secret,
    ...(opts.siteUrl ? { baseURL: opts.siteUrl } : {}),
    database: drizzleAdapter(db, { provider: "pg", schema: { user, session, account, verification, rateLimit } }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
      autoSignIn: true,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      // Every outstanding reset link of the person goes once the password is reset, with whichever link.
      onPasswordReset: async ({ user: u }: { user: { id: string } }) => {
        await deleteResetTokens(db, u.id);
      },
      ...(mailer
        ? {
            sendResetPassword: async ({ user: u, token }: { user: { id: string; email: string }; token: string }) => {
              // A newer link replaces every older one.
              await deleteResetTokens(db, u.id, token);
              const base = resetLinkOrigin() ?? opts.siteUrl ?? "http://localhost";
              await mailer.send({
                to: u.email,
                subject: "Reset your matwise password",
                text:
                  `Someone asked to reset the password of your matwise account.\n\n` +
                  `To choose a new password, open this link within an hour:\n${base}/account/reset-password?token=${encodeURIComponent(token)}\n\n` +
                  `If it was not you, ignore this email: your password stays as it is.`,
              });
            },
          }
        : {}),
    },
    // Our own column on the user row: the person's time zone, set at sign-up and on /account.
    user: { additionalFields: { timeZone: { type: "string", required: false, defaultValue: "UTC", input: true } } },
    session: { expiresIn: SESSION_DAYS * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    // Our own database-backed limits guard the forms (src/server/rate-limit.ts); this covers
    // the library's handler should it ever be mounted.
    rateLimit: { enabled: true, storage: "database", window: 60, max: 60 },
    advanced: {
      useSecureCookies: opts.secureCookies,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: opts.secureCookies },
      ipAddress: { ipAddressHeaders: ["x-matwise-client-ip"] },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const KEY = Symbol.for("matwise.auth");
type Holder = { [KEY]?: Promise<{ auth: Auth; env: Env; resetByEmail: boolean }> };
const holder = globalThis as Holder;

/** The process-wide auth instance over the process database. */
export function getAuth(): Promise<{ auth: Auth; env: Env; resetByEmail: boolean }> {
  holder[KEY] ??= (async () => {
    const env = parseEnv();
    const { db } = await getDatabase();
    const secret = env.MATWISE_SECRET ?? (await getOrCreateSecret(db, "auth"));
    const mailer = createMailer(env);
    const auth = createAuth(db, {
      secret,
      siteUrl: env.MATWISE_SITE_URL,
      secureCookies: env.NODE_ENV === "production",
      mailer,
    });
    return { auth, env, resetByEmail: mailer !== null };
  })();
  return holder[KEY];
}
