/** Outgoing email, only when SMTP_URL is configured; matwise runs fully without it. */
import nodemailer from "nodemailer";
import type { Env } from "./env";

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export function createMailer(env: Env): Mailer | null {
  if (!env.SMTP_URL || !env.MAIL_FROM) return null;
  const transport = nodemailer.createTransport(env.SMTP_URL);
  const from = env.MAIL_FROM;
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ from, to, subject, text });
    },
  };
}
