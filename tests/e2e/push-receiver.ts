/**
 * A push service for tests: an HTTPS server on 127.0.0.1 (a certificate made for it with
 * openssl; servers under test trust it through NODE_EXTRA_CA_CERTS) that takes Web Push
 * messages for subscriptions it made, checks the VAPID signature, and decrypts each body as a
 * browser would (RFC 8291 with RFC 8188 aes128gcm), with node:crypto's ECDH, HKDF and AES-GCM.
 * @module
 */
import { execFileSync } from "node:child_process";
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ReceivedPush {
  /** The subscription's name (the endpoint's last path segment). */
  name: string;
  /** The decrypted payload. */
  text: string;
  /** The VAPID public key that signed the request (base64url). */
  vapidKey: string;
  /** The JWT's audience (must be the push service's origin). */
  audience: string;
}

interface Subscriber {
  ecdh: ECDH;
  auth: Buffer;
  /** What to answer: 201 for a live subscription, 410 for one that has gone. */
  status: number;
}

const b64url = (b: Buffer) => b.toString("base64url");

/** RFC 8291 §3.4 and RFC 8188 §2: the content key and nonce, then AES-128-GCM over the one record. */
export function decryptPush(body: Buffer, ecdh: ECDH, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const serverPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(serverPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), serverPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("the last record does not end with the 0x02 delimiter");
  return padded.subarray(0, end).toString("utf8");
}

/** Checks `Authorization: vapid t=<JWT>, k=<key>` (ES256 over the JWT with the key) and returns its key and audience. */
function checkVapid(header: string): { vapidKey: string; audience: string } {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header);
  if (!match) throw new Error(`not a VAPID Authorization header: ${header}`);
  const [, jwt = "", k = ""] = match;
  const [head = "", claims = "", signature = ""] = jwt.split(".");
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  if (!ok) throw new Error("the VAPID signature does not verify");
  const { aud } = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { aud: string };
  return { vapidKey: k, audience: aud };
}

export interface PushReceiver {
  origin: string;
  /** Certificate file to put in NODE_EXTRA_CA_CERTS of the servers that send to it. */
  caFile: string;
  received: ReceivedPush[];
  /** Requests that failed to verify or decrypt, in words. */
  errors: string[];
  /** A new browser subscription, as PushSubscription.toJSON() gives it. */
  subscribe(name: string, status?: number): { endpoint: string; keys: { p256dh: string; auth: string } };
  close(): Promise<void>;
}

export async function startPushReceiver(): Promise<PushReceiver> {
  const dir = mkdtempSync(join(tmpdir(), "matwise-push-"));
  const keyFile = join(dir, "key.pem");
  const caFile = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      caFile,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedPush[] = [];
  const errors: string[] = [];
  const server: Server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const name = (req.url ?? "").split("/").pop() ?? "";
      const sub = subscribers.get(name);
      try {
        if (!sub) throw new Error(`no subscription ${name}`);
        if (req.headers["content-encoding"] !== "aes128gcm")
          throw new Error(`content-encoding ${req.headers["content-encoding"]}`);
        const vapid = checkVapid(String(req.headers.authorization ?? ""));
        if (sub.status === 201)
          received.push({ name, text: decryptPush(Buffer.concat(chunks), sub.ecdh, sub.auth), ...vapid });
        res.writeHead(sub.status).end();
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const origin = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    origin,
    caFile,
    received,
    errors,
    subscribe(name, status = 201) {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscribers.set(name, { ecdh, auth, status });
      return { endpoint: `${origin}/push/${name}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
