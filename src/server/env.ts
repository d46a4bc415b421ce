/**
 * Environment variables, validated once with zod. A bad value stops start-up with a
 * message that names the variable and says what is expected.
 * @module
 */
import { resolve } from "node:path";
import { z } from "zod";

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), {
    message: "must be a PostgreSQL URL such as postgres://user:password@host:5432/matwise",
  });

export const EnvSchema = z.object({
  /** TCP port of the web server. */
  PORT: z.coerce
    .number({ invalid_type_error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(4321),
  /** Interface to listen on; 0.0.0.0 to accept connections from other machines. */
  HOST: z.string().trim().min(1, "must not be empty").default("127.0.0.1"),
  /** When set, matwise uses this PostgreSQL database instead of the embedded one. */
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), postgresUrl.optional()),
  /** Folder of the embedded (PGlite) database. */
  MATWISE_DATA_DIR: z.string().trim().min(1, "must not be empty").default("./data/db"),
  /**
   * Free space (MB) the disk of the embedded database must keep. Below it matwise refuses writes with a 503
   * instead of letting PostgreSQL stop on a full disk; 0 turns the check off.
   */
  MATWISE_MIN_FREE_MB: z.coerce
    .number({ invalid_type_error: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .default(64),
  /** Secret that signs session cookies. Optional: without it one is generated and kept in the database. At least 32 characters. */
  MATWISE_SECRET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  /** Public address of the site (https://…), used in links sent by email. */
  MATWISE_SITE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().url("must be a full URL such as https://matwise.example").optional(),
  ),
  /** Mail server for password-reset emails, e.g. smtps://user:pass@mail.example:465. Reset by email is off without it. */
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((v) => /^smtps?:\/\/.+/.test(v), { message: "must look like smtp://user:password@host:587 or smtps://…" })
      .optional(),
  ),
  /** Sender address of matwise's emails; required with SMTP_URL. */
  MAIL_FROM: z.preprocess((v) => (v === "" ? undefined : v), z.string().email("must be an email address").optional()),
  /**
   * How people reach whoever runs this server (an email address, or a web address https://…): shown
   * where they cannot help themselves, such as a forgotten password while this server cannot send mail.
   */
  MATWISE_CONTACT: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z
      .string()
      .max(200, "must be at most 200 characters")
      .refine((v) => z.string().email().safeParse(v).success || /^https?:\/\/[^\s<>"]+$/.test(v), {
        message: "must be an email address or a web address such as https://matwise.example/contact",
      })
      .optional(),
  ),
  /** How often (ms) each server looks for due reminders; it can only be shorter than the default 30 s (tests). */
  MATWISE_REMINDER_TICK_MS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().regex(/^\d+$/, "must be a whole number of milliseconds").optional(),
  ),
  /** "1" when matwise runs behind a reverse proxy: the client address is then the right-most X-Forwarded-For hop (src/server/client-address.ts). */
  MATWISE_TRUST_PROXY: z.enum(["0", "1"], { errorMap: () => ({ message: "must be 0 or 1" }) }).default("0"),
  /**
   * Extra push services (comma-separated https origins, e.g. a self-hosted autopush) whose
   * subscriptions are accepted besides the browsers' own services; trusted as they are.
   */
  MATWISE_PUSH_SERVICES: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((v) => v.split(",").every((o) => /^https:\/\/[^/?#@\s]+\/?$/.test(o.trim())), {
        message: "must be https origins separated by commas, such as https://push.example:8443",
      })
      .optional(),
  ),
  NODE_ENV: z
    .enum(["development", "production", "test"], {
      errorMap: () => ({ message: "must be development, production or test" }),
    })
    .default("development"),
});

export type Env = z.infer<typeof EnvSchema> & { dataDir: string };

const CheckedEnvSchema = EnvSchema.superRefine((env, ctx) => {
  if (env.SMTP_URL && !env.MAIL_FROM)
    ctx.addIssue({
      code: "custom",
      path: ["MAIL_FROM"],
      message: "is required when SMTP_URL is set (the sender address of reset emails)",
    });
  // Without it, links in mail would use the Host header of the request that asked for them, which
  // the client chooses (issue 25, item 11).
  if (env.NODE_ENV === "production" && env.SMTP_URL && !env.MATWISE_SITE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["MATWISE_SITE_URL"],
      message:
        "is required in production when SMTP_URL is set, so links in mail point at this site and never at a host a request named",
    });
  }
});

/** Raised with every bad variable listed, one per line. */
export class EnvError extends Error {
  override readonly name = "EnvError";
}

/** Parses the given variables (default: process.env) or throws an EnvError naming each bad one. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = CheckedEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? "environment");
      const got = source[name];
      return `  ${name}: ${i.message}${got === undefined ? "" : ` (got ${JSON.stringify(got)})`}`;
    });
    throw new EnvError(`matwise cannot start: invalid environment variable\n${lines.join("\n")}`);
  }
  return { ...result.data, dataDir: resolve(result.data.MATWISE_DATA_DIR) };
}
