/**
 * Issue 25, item 2: a push subscription must be a real push service's, and a send never
 * reaches a loopback, private, link-local or other special address, even through a name.
 */
import { createServer, type Server } from "node:https";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredPushOrigins, pushAgentFor, pushEndpointProblem } from "./push-endpoint";
import { sendPush } from "./push";

describe("pushEndpointProblem", () => {
  it.each([
    "https://fcm.googleapis.com/fcm/send/abc:APA91b",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
    "https://web.push.apple.com/QGuQyavXutnMH",
    "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
    "https://FCM.googleapis.com/fcm/send/x",
  ])("accepts a browser push service: %s", (endpoint) => expect(pushEndpointProblem(endpoint, [])).toBeNull());

  it.each([
    // The probe's addresses (issue 25), and their cousins.
    "https://127.0.0.1:9443/push/x",
    "https://[::1]:4421/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/",
    "https://0x7f000001/",
    "https://2130706433/",
    "https://localhost/x",
    "https://user:pass@fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:9443/fcm/send/x",
    "https://fcm.googleapis.com.evil.example/x",
    "https://evilfcm.googleapis.com/x",
    "https://push.apple.com.evil.example/x",
    "https://notify.windows.com/x",
    "http://fcm.googleapis.com/fcm/send/x",
    "https://push.example/x",
    "not a url",
  ])("refuses %s", (endpoint) => expect(pushEndpointProblem(endpoint, [])).not.toBeNull());

  it("accepts exactly the origins an operator names in MATWISE_PUSH_SERVICES, and only those", () => {
    const extra = configuredPushOrigins("https://push.internal.example:8443, https://127.0.0.1:9443/");
    expect(extra).toEqual(["https://push.internal.example:8443", "https://127.0.0.1:9443"]);
    expect(pushEndpointProblem("https://127.0.0.1:9443/push/a", extra)).toBeNull();
    expect(pushEndpointProblem("https://127.0.0.1:9444/push/a", extra)).not.toBeNull();
    expect(pushEndpointProblem("https://u:p@127.0.0.1:9443/push/a", extra)).not.toBeNull();
  });
});

describe("sending a push never reaches a special address", () => {
  const dir = mkdtempSync(join(tmpdir(), "matwise-push-filter-"));
  let server: Server;
  let port = 0;
  let connections = 0;
  const savedCa = process.env.NODE_EXTRA_CA_CERTS;

  beforeAll(async () => {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    server = createServer(
      { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
      (_req, res) => res.writeHead(201).end(),
    );
    server.on("connection", () => connections++);
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
    if (savedCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  });

  it("web-push with the filtering agent refuses a name that resolves to loopback, before connecting", async () => {
    const endpoint = `https://localhost:${port}/push/x`;
    const agent = pushAgentFor(endpoint, []);
    expect(agent).toBeDefined();
    const keys = webpush.generateVAPIDKeys();
    const sub = {
      endpoint,
      keys: {
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        auth: "BTBZMqHH6r4Tts7J_aSIgg",
      },
    };
    await expect(
      webpush.sendNotification(sub, "x", {
        vapidDetails: { subject: "mailto:a@example.com", publicKey: keys.publicKey, privateKey: keys.privateKey },
        contentEncoding: "aes128gcm",
        timeout: 5000,
        ...(agent ? { agent } : {}),
      }),
    ).rejects.toThrow(/not allowed/i);
    expect(connections).toBe(0);
  });

  it("sendPush sends nothing to a stored endpoint that is not a push service's (kept before the fix) and calls it gone", async () => {
    const keys = webpush.generateVAPIDKeys();
    const device = {
      endpoint: `https://127.0.0.1:${port}/push/x`,
      p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
      auth: "BTBZMqHH6r4Tts7J_aSIgg",
    };
    expect(await sendPush(keys, "mailto:a@example.com", device, "{}")).toBe("gone");
    expect(connections).toBe(0);
  });
});
