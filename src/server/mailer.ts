/** Outgoing email, only when SMTP_URL is configured; matwise runs fully without it. */
import nodemailer from "nodemailer";
import type { Env } from "./env";

export interface Mailer {
  /** `headers`: extra header lines, e.g. List-Unsubscribe on reminders. */
  send(message: { to: string; subject: string; text: string; headers?: Record<string, string> }): Promise<void>;
}

export function createMailer(env: Env): Mailer | null {
  if (!env.SMTP_URL || !env.MAIL_FROM) return null;
  const transport = nodemailer.createTransport(env.SMTP_URL);
  const from = env.MAIL_FROM;
  return {
    async send({ to, subject, text, headers }) {
      await transport.sendMail({ from, to, subject, text, ...(headers ? { headers } : {}) });
    },
  };
}
