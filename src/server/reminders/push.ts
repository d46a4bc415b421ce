/**
 * Web Push: the server's VAPID key pair (made once, kept in the database so every process signs
 * with the same one and subscriptions survive restarts), and sending one encrypted message
 * (RFC 8291, aes128gcm) to one browser with the web-push library.
 * @module
 */
import webpush from "web-push";
import type { Db } from "../db/client";
import { getOrCreateSecretValue } from "../repositories/secrets";
import type { PushDevice } from "../repositories/reminders";
import { pushAgentFor, pushEndpointProblem } from "./push-endpoint";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const NAME = "vapid-keys";

/** The VAPID keys, generated on first use (atomically, once for all processes). */
export async function getVapidKeys(db: Db): Promise<VapidKeys> {
  const value = await getOrCreateSecretValue(db, NAME, () => JSON.stringify(webpush.generateVAPIDKeys()));
  const keys = JSON.parse(value) as VapidKeys;
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/**
 * What a push service said: delivered, or the subscription is gone (404/410) and should be
 * removed. An endpoint that is not a push service's (kept before issue 25) is "gone" too, and
 * nothing is sent to it.
 */
export type PushOutcome = "sent" | "gone";

/**
 * Sends `payload` (JSON, at most about 3 KB) to one device. `subject` is the contact the push
 * service may use (mailto: or https:). Any other failure throws (worth trying again later).
 */
export async function sendPush(
  keys: VapidKeys,
  subject: string,
  device: Pick<PushDevice, "endpoint" | "p256dh" | "auth">,
  payload: string,
): Promise<PushOutcome> {
  if (pushEndpointProblem(device.endpoint) !== null) return "gone";
  const agent = pushAgentFor(device.endpoint);
  try {
    await webpush.sendNotification(
      { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
      payload,
      {
        vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
        contentEncoding: "aes128gcm",
        TTL: 6 * 3600,
        timeout: 10_000,
        // Resolves the name and refuses loopback, private, link-local and other special addresses.
        ...(agent ? { agent } : {}),
      },
    );
    return "sent";
  } catch (err) {
    if (err instanceof webpush.WebPushError && (err.statusCode === 404 || err.statusCode === 410)) return "gone";
    throw err;
  }
}
