/**
 * The stop link in every reminder: a token that names one person, one reminder and one channel,
 * signed with a server secret (HMAC-SHA256), so it works without signing in and cannot be made
 * for anyone else. It never expires; stopping twice is harmless.
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  REMINDER_CHANNELS,
  REMINDER_KINDS,
  type ReminderChannel,
  type ReminderKind,
} from "../../core/reminders/reminders";
import type { Db } from "../db/client";
import { getOrCreateSecret } from "../secrets";

export interface StopTarget {
  userId: string;
  kind: ReminderKind;
  channel: ReminderChannel;
}

const sign = (secret: string, payload: string) =>
  createHmac("sha256", secret).update(`reminder-stop:${payload}`).digest("base64url");
const secretOf = (db: Db) => getOrCreateSecret(db, "reminder-stop");

export async function createStopToken(db: Db, target: StopTarget): Promise<string> {
  const payload = Buffer.from(`${target.kind}.${target.channel}.${target.userId}`).toString("base64url");
  return `${payload}.${sign(await secretOf(db), payload)}`;
}

/** What a token stops, or null for anything not signed by this server. */
export async function readStopToken(db: Db, token: string): Promise<StopTarget | null> {
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, payload = "", signature = ""] = match;
  const expected = Buffer.from(sign(await secretOf(db), payload));
  if (!timingSafeEqual(expected, Buffer.from(signature))) return null;
  const [kind = "", channel = "", ...rest] = Buffer.from(payload, "base64url").toString("utf8").split(".");
  const userId = rest.join(".");
  if (
    !(REMINDER_KINDS as readonly string[]).includes(kind) ||
    !(REMINDER_CHANNELS as readonly string[]).includes(channel) ||
    !userId
  )
    return null;
  return { userId, kind: kind as ReminderKind, channel: channel as ReminderChannel };
}
