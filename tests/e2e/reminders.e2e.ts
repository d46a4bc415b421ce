/**
 * Reminders end to end against the built server: settings on a 390 px phone (axe-clean, bad
 * input refused), the secret calendar feed (parsed with ical.js, 404 for any other token, gone
 * once revoked), Web Push to a local push service that checks the VAPID signature and decrypts
 * each message (RFC 8291), email to a local SMTP server with List-Unsubscribe, stop links that
 * work without signing in, a subscription the push service says is gone (410) removed, and two
 * servers on one PostgreSQL sending each reminder exactly once.
 *
 * A reminder set for the current minute is due at once (a reminder chosen up to two minutes after
 * its time still goes out that day), and the servers look for due reminders every 100 ms
 * (MATWISE_REMINDER_TICK_MS, which can only shorten the interval): nothing waits for a clock.
 */
import { randomBytes } from "node:crypto";
import ICAL from "ical.js";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { waitFor } from "../../scripts/lib/wait-for";
import { openPglite } from "../../src/server/db/client";
import { createFreshPostgres, type FreshPostgres } from "../../src/server/db/fresh-postgres";
import { startPushReceiver, type PushReceiver } from "./push-receiver";
import {
  describeBrowser,
  expectNoA11yViolations,
  freePort,
  launchBrowser,
  postForm,
  signUpAs,
  startServer,
  type RunningServer,
} from "./support";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const allNo = data.questions.filter((q) => !("askedIf" in q)).map((q): [string, string] => [q.id, "no"]);

/** A local SMTP server that keeps every mail, unfolded and with quoted-printable soft breaks joined. */
async function startSmtp(): Promise<{ port: number; mails: string[]; close(): Promise<void> }> {
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, _session, done) {
      let text = "";
      stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
      stream.on("end", () => {
        mails.push(text.replace(/=\r?\n/g, "").replace(/\r\n[ \t]+/g, " "));
        done();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((ok) => smtp.listen(port, "127.0.0.1", ok));
  return { port, mails, close: () => new Promise<void>((ok) => smtp.close(ok)) };
}

/** The current minute, HH:MM in UTC (the clock of a new account). */
const thisMinute = () => new Date().toISOString().slice(11, 16);

const get = (url: string, cookie = "") => fetch(url, { headers: { cookie }, redirect: "manual" });

/** Signs up, subscribes a device (and a second one that the push service will say is gone), and asks for the session reminder now by push and email. */
async function personWithReminders(
  base: string,
  receiver: PushReceiver,
  name: string,
  opts: { goneDevice?: boolean } = {},
) {
  const cookie = await signUpAs(base, `${name}@example.com`);
  const devices = [receiver.subscribe(name), ...(opts.goneDevice ? [receiver.subscribe(`${name}-gone`, 410)] : [])];
  for (const d of devices) {
    const res = await fetch(`${base}/account/reminders/push`, {
      method: "POST",
      headers: { cookie, origin: base, "content-type": "application/json" },
      body: JSON.stringify(d),
    });
    expect(res.status).toBe(204);
  }
  const saved = await postForm(
    base,
    "/account/reminders",
    [
      ["intent", "save"],
      ["session-time", thisMinute()],
      ["session-channel", "push"],
      ["session-channel", "email"],
      ["evening-time", "21:00"],
      ["morning-time", "08:00"],
    ],
    cookie,
  );
  expect(saved.status, saved.text.slice(0, 300)).toBe(303);
  return cookie;
}

interface Exported {
  reminders: { kind: string; channels: string }[];
  remindersSent: { kind: string; state: string; outcome: string }[];
  pushDevices: { endpoint: string }[];
}
const exportOf = async (base: string, cookie: string) =>
  (await (await get(`${base}/account/export.json`, cookie)).json()) as Exported;

describe("reminders by Web Push and email", () => {
  let receiver: PushReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: RunningServer;
  let env: Record<string, string> = {};
  let port = 0;
  beforeAll(async () => {
    receiver = await startPushReceiver();
    smtp = await startSmtp();
    port = await freePort();
    env = {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: "matwise@example.com",
      MATWISE_SITE_URL: `http://127.0.0.1:${port}`,
      MATWISE_REMINDER_TICK_MS: "100",
      NODE_EXTRA_CA_CERTS: receiver.caFile,
      MATWISE_PUSH_SERVICES: receiver.origin,
    };
    server = await startServer({ port, env });
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await smtp?.close();
  });

  it("sends the reminder once by each channel, encrypted for the device, with stop links that work without signing in", async () => {
    const name = `rem${randomBytes(3).toString("hex")}`;
    const cookie = await personWithReminders(server.url, receiver, name, { goneDevice: true });

    const sent = await waitFor(
      "the reminder to be sent",
      async () => ((await exportOf(server.url, cookie)).remindersSent.find((r) => r.state === "sent") ? true : null),
      30_000,
    );
    expect(sent).toBe(true);
    expect(receiver.errors).toEqual([]);
    const pushes = receiver.received.filter((r) => r.name === name);
    expect(pushes).toHaveLength(1);
    const payload = JSON.parse(pushes[0]!.text) as { title: string; body: string; url: string; stopUrl: string };
    expect(payload).toMatchObject({ title: "Time for today's mat session", url: `${server.url}/today` });
    expect(pushes[0]!.audience).toBe(receiver.origin);

    const mails = smtp.mails.filter((m) => m.includes(`To: ${name}@example.com`));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toContain("Subject: Time for today's mat session");
    expect(mail).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    const stopUrl = /List-Unsubscribe: <([^>]+)>/.exec(mail)?.[1] ?? "";
    expect(stopUrl).toMatch(new RegExp(`^${server.url}/reminders/stop\\?t=`));
    expect(mail).toContain(stopUrl);

    // The device the push service said was gone (410) is removed; the live one stays.
    const before = await exportOf(server.url, cookie);
    expect(before.pushDevices.map((d) => d.endpoint)).toEqual([`${receiver.origin}/push/${name}`]);
    // Today's reminder is sent; tomorrow's waits.
    expect(before.remindersSent.filter((r) => r.state !== "pending")).toEqual([
      expect.objectContaining({ kind: "session", state: "sent", outcome: "sent by push to 1 device and email" }),
    ]);

    // One tap on the mail's link (no cookie) stops the email; the mail program's one-click POST
    // (no Origin, as RFC 8058 has it) stops the push notifications.
    const stopped = await get(stopUrl);
    expect(stopped.status).toBe(200);
    expect(stopped.headers.get("cache-control")).toBe("private, no-store");
    expect(await stopped.text()).toContain("Reminder stopped");
    expect((await exportOf(server.url, cookie)).reminders.find((r) => r.kind === "session")?.channels).toBe("push");
    const oneClick = await fetch(payload.stopUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(oneClick.status).toBe(200);
    expect((await exportOf(server.url, cookie)).reminders.find((r) => r.kind === "session")?.channels).toBe("");

    // A token that was not signed by this server, or was cut short, stops nothing.
    const forged = await get(`${stopUrl.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain("This link does not work");
  });

  it("sends after a restart what came due while it was stopped, and takes over the claim of a process that died", async () => {
    const later = `${String((new Date().getUTCHours() + 3) % 24).padStart(2, "0")}:00`; // not due during this test
    const people = [`down${randomBytes(3).toString("hex")}`, `dead${randomBytes(3).toString("hex")}`];
    const cookies: string[] = [];
    for (const p of people) {
      const cookie = await signUpAs(server.url, `${p}@example.com`);
      expect(
        (
          await postForm(
            server.url,
            "/account/reminders",
            [
              ["intent", "save"],
              ["session-time", later],
              ["session-channel", "email"],
              ["evening-time", "21:00"],
              ["morning-time", "08:00"],
            ],
            cookie,
          )
        ).status,
      ).toBe(303);
      cookies.push(cookie);
    }
    await waitFor(
      "the reminders to be planned",
      async () => {
        for (const c of cookies)
          if (!(await exportOf(server.url, c)).remindersSent.some((r) => r.state === "pending")) return null;
        return true;
      },
      10_000,
    );
    expect(await server.stop()).toBe(0);
    // While it is stopped: one person's next reminder comes due; the other's was claimed by a process that then died.
    const handle = await openPglite(server.dataDir);
    const next = (p: string) =>
      `(select id from reminder_job where user_id = (select id from "user" where email = '${p}@example.com') order by due_at limit 1)`;
    await handle.pglite!.exec(
      `update reminder_job set due_at = now() - interval '1 minute' where id = ${next(people[0]!)}`,
    );
    await handle.pglite!.exec(
      `update reminder_job set due_at = now() - interval '3 minutes', state = 'claimed', claimed_by = 'gone:1', lease_until = now() - interval '1 second', attempts = 1 where id = ${next(people[1]!)}`,
    );
    await handle.close();

    server = await startServer({ port, env, dataDir: server.dataDir });
    await waitFor(
      "both reminders after the restart",
      () => people.every((p) => smtp.mails.some((m) => m.includes(`To: ${p}@example.com`))),
      30_000,
    );
    for (const p of people)
      expect(
        smtp.mails.filter((m) => m.includes(`To: ${p}@example.com`)),
        p,
      ).toHaveLength(1);
  });

  it("refuses a subscription that is not an https push address, and one without a session", async () => {
    const cookie = await signUpAs(server.url, `sub${randomBytes(3).toString("hex")}@example.com`);
    const send = (body: unknown, c = cookie) =>
      fetch(`${server.url}/account/reminders/push`, {
        method: "POST",
        headers: { cookie: c, origin: server.url, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const good = receiver.subscribe(`x${randomBytes(3).toString("hex")}`);
    expect((await send({ ...good, endpoint: "http://127.0.0.1:1/push/x" })).status).toBe(400);
    expect((await send({ endpoint: good.endpoint, keys: { p256dh: "short", auth: good.keys.auth } })).status).toBe(400);
    expect((await send("[]")).status).toBe(400);
    expect((await send(good, "")).status).toBe(401);
    expect((await exportOf(server.url, cookie)).pushDevices).toEqual([]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("two servers on one PostgreSQL send each reminder once", () => {
  const base = process.env.TEST_DATABASE_URL ?? "";
  let fresh: FreshPostgres | null = null;
  let url = "";
  let receiver: PushReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    fresh = await createFreshPostgres(base, "matwise_e2e");
    url = fresh.url;
    receiver = await startPushReceiver();
    smtp = await startSmtp();
    const env = {
      DATABASE_URL: url,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: "matwise@example.com",
      MATWISE_SITE_URL: "https://matwise.example",
      MATWISE_REMINDER_TICK_MS: "100",
      NODE_EXTRA_CA_CERTS: receiver.caFile,
      MATWISE_PUSH_SERVICES: receiver.origin,
    };
    servers.push(await startServer({ env }));
    servers.push(await startServer({ env }));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await receiver?.close();
    await smtp?.close();
    await fresh?.drop();
  });

  it("counts each person's push and email exactly once, signed with one VAPID key", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `two${i}${randomBytes(3).toString("hex")}`);
    for (const [i, name] of names.entries()) await personWithReminders(servers[i % 2]!.url, receiver, name);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const sent = async () =>
        Number(
          (await db.query<{ n: number }>("select count(*)::int as n from reminder_job where state = 'sent'")).rows[0]
            ?.n,
        );
      await waitFor("every reminder to be sent", async () => (await sent()) === names.length, 60_000);
      // Every reminder of the day is sent and none is left claimed; the ones still pending are tomorrow's.
      const rows = await db.query<{ state: string; n: number; people: number }>(
        "select state, count(*)::int as n, count(distinct user_id)::int as people from reminder_job group by state order by state",
      );
      expect(rows.rows).toEqual([
        { state: "pending", n: names.length, people: names.length },
        { state: "sent", n: names.length, people: names.length },
      ]);
    } finally {
      await db.end();
    }
    await waitFor(
      "every mail to arrive",
      () => names.every((n) => smtp.mails.some((m) => m.includes(`To: ${n}@example.com`))),
      30_000,
    );
    expect(receiver.errors).toEqual([]);
    expect(receiver.received.map((r) => r.name).sort()).toEqual([...names].sort());
    for (const n of names)
      expect(
        smtp.mails.filter((m) => m.includes(`To: ${n}@example.com`)),
        n,
      ).toHaveLength(1);
    expect(new Set(receiver.received.map((r) => r.vapidKey)).size).toBe(1);
    expect(smtp.mails.every((m) => m.includes("https://matwise.example/reminders/stop?t="))).toBe(true);
  });
});

describeBrowser("reminder settings and the calendar feed", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("chooses reminders on a phone, and serves a calendar feed to its secret address only", async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      const email = `cal${randomBytes(3).toString("hex")}@example.com`;
      await page.goto(`${server.url}/account/sign-up?next=/account/reminders`);
      for (const [n, v] of Object.entries({
        name: "Cal",
        email,
        password: "a long enough passphrase",
        confirm: "a long enough passphrase",
      }))
        await page.fill(`[name="${n}"]`, v);
      await Promise.all([page.waitForURL(`${server.url}/account/reminders`), page.click("button[type=submit]")]);
      await expectNoA11yViolations(page);
      // Off by default; the subscribe button appears once the island runs.
      expect(await page.locator('input[type="checkbox"]:checked').count()).toBe(0);
      await page.locator("button", { hasText: "Send notifications to this device" }).waitFor();

      // A time that is not a time comes back with a message and saves nothing.
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      const bad = await postForm(
        server.url,
        "/account/reminders",
        [
          ["intent", "save"],
          ["session-time", "25:99"],
          ["evening-time", "21:00"],
          ["morning-time", "08:00"],
          ["session-channel", "carrier-pigeon"],
        ],
        cookie,
      );
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("Give a time of day");
      expect(bad.text).toContain("Choose from push, email and calendar");
      await page.fill("#field-session-time", "07:45");
      await page.check('input[name="evening-channel"][value="calendar"]');
      await Promise.all([page.waitForURL(/saved=1/), page.click('button:has-text("Save reminders")')]);
      await expect(page.locator("#field-session-time").inputValue()).resolves.toBe("07:45");
      await expectNoA11yViolations(page);

      // A plan on Berlin time, then the feed: its sessions ring at 07:45 Berlin time.
      expect(
        (await postForm(server.url, "/account", { intent: "time-zone", timeZone: "Europe/Berlin" }, cookie)).status,
      ).toBe(303);
      expect((await postForm(server.url, "/account/safety-checks", allNo, cookie)).status).toBe(303);
      const today = new Date().toISOString().slice(0, 10);
      expect(
        (
          await postForm(
            server.url,
            "/plan",
            { intent: "keep", skin: "average", tolerance: "average", area: "back", level: "fine", start: today },
            cookie,
          )
        ).status,
      ).toBe(303);
      await page.goto(`${server.url}/account/reminders`);
      await Promise.all([page.waitForLoadState(), page.click('button:has-text("Make my calendar address")')]);
      const feedUrl = (await page.locator(".feed-url").innerText()).trim();
      expect(feedUrl).toMatch(new RegExp(`^${server.url}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
      await expectNoA11yViolations(page);
      // It fits a 320 px screen, the long address included.
      await page.setViewportSize({ width: 320, height: 700 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

      const feed = await get(feedUrl);
      expect(feed.status).toBe(200);
      expect(feed.headers.get("cache-control")).toBe("private, no-store");
      expect(feed.headers.get("content-type")).toContain("text/calendar");
      const events = ICAL.Component.fromString(await feed.text()).getAllSubcomponents("vevent");
      expect(events.length).toBeGreaterThan(10);
      for (const v of events) {
        const event = new ICAL.Event(v);
        const alarm = v.getFirstSubcomponent("valarm");
        expect(alarm?.getFirstPropertyValue("action")).toBe("DISPLAY");
        const start = event.startDate.toJSDate();
        expect(
          new Intl.DateTimeFormat("en-GB", {
            timeZone: "Europe/Berlin",
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
          }).format(start),
        ).toBe("07:45");
        expect(String(v.getFirstPropertyValue("url"))).toBe(`${server.url}/timer`);
      }

      // Any other token is a plain 404; a new address ends the old one; stopping ends it too.
      const wrong = await get(`${server.url}/calendar/${"A".repeat(43)}.ics`);
      expect(wrong.status).toBe(404);
      expect(await wrong.text()).toBe("Not found");
      expect((await get(`${server.url}/calendar/x.ics`)).status).toBe(404);
      // Replacing is behind a disclosure that says what it does (issue 24 item 7).
      await page.click('summary:has-text("Replace or stop the address")');
      await Promise.all([page.waitForLoadState(), page.click('button:has-text("make a new address")')]);
      const second = (await page.locator(".feed-url").innerText()).trim();
      expect(second).not.toBe(feedUrl);
      expect((await get(feedUrl)).status).toBe(404);
      expect((await get(second)).status).toBe(200);
      await page.click('summary:has-text("Replace or stop the address")');
      await Promise.all([page.waitForURL(/feed=stopped/), page.click('button:has-text("Stop my calendar address")')]);
      expect((await get(second)).status).toBe(404);
    } finally {
      await browser.close();
    }
  });
});
