/**
 * Password reset by email: off without SMTP settings, and with them a real mail goes to a
 * local SMTP server, its link sets a new password, and the old one stops working.
 */
import { randomBytes } from "node:crypto";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, postForm, signUpAs, startServer, type RunningServer } from "./support";
import { waitFor } from "../../scripts/lib/wait-for";

describe("password reset by email", () => {
  const mails: string[] = [];
  let smtp: SMTPServer;
  let server: RunningServer;
  let plain: RunningServer;
  beforeAll(async () => {
    const smtpPort = await freePort();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, _session, done) {
        let text = "";
        stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
        stream.on("end", () => {
          mails.push(text);
          done();
        });
      },
    });
    await new Promise<void>((ok) => smtp.listen(smtpPort, "127.0.0.1", ok));
    const port = await freePort();
    server = await startServer({
      port,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: "matwise@example.com", MATWISE_SITE_URL: `http://127.0.0.1:${port}` },
    });
    plain = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    await plain?.stop();
    await new Promise<void>((ok) => smtp?.close(ok));
  });

  it("says plainly that reset by email is off without a mail server", async () => {
    const page = await (await fetch(`${plain.url}/account/forgot-password`)).text();
    expect(page).toContain("no mail server set up");
    expect(page).not.toContain("Send a reset link");
  });

  it("mails a link that sets a new password once", async () => {
    const email = `reset${randomBytes(3).toString("hex")}@example.com`;
    await signUpAs(server.url, email, "the old long passphrase");
    const asked = await postForm(server.url, "/account/forgot-password", { email });
    expect(asked.status).toBe(303);
    expect(asked.location).toContain("sent=1");
    // An unknown address gets the same answer (no hint about who has an account).
    expect((await postForm(server.url, "/account/forgot-password", { email: "nobody@example.com" })).location).toContain("sent=1");

    await waitFor("the reset email", () => mails.length > 0, 30_000);
    expect(mails).toHaveLength(1);
    const mail = (mails[0] ?? "").replace(/=\r?\n/g, "");
    expect(mail).toContain(`To: ${email}`);
    const link = /http:\/\/127\.0\.0\.1:\d+\/account\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail);
    expect(link).not.toBeNull();
    const token = link?.[1] ?? "";

    const mismatch = await postForm(server.url, "/account/reset-password", { token, newPassword: "a brand new passphrase", confirm: "something else entirely" });
    expect(mismatch.status).toBe(400);
    const done = await postForm(server.url, "/account/reset-password", { token, newPassword: "a brand new passphrase", confirm: "a brand new passphrase" });
    expect(done.status).toBe(303);
    expect(done.location).toContain("/account/sign-in?reset=1");
    const reused = await postForm(server.url, "/account/reset-password", { token, newPassword: "yet another passphrase", confirm: "yet another passphrase" });
    expect(reused.status).toBe(400);
    expect(reused.text).toContain("expired or was already used");

    expect((await postForm(server.url, "/account/sign-in", { email, password: "the old long passphrase" })).status).toBe(400);
    expect((await postForm(server.url, "/account/sign-in", { email, password: "a brand new passphrase" })).status).toBe(303);
  });
});
