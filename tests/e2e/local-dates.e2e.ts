/**
 * Issue 24 item 3: every date a person reads, and every file name, is on their own clock. The
 * server's clock is moved (tests/e2e/fake-clock.mjs) to 21:30 in New York, when UTC is already
 * tomorrow, and to 07:30 in Auckland, when UTC is still yesterday; an account in that zone then
 * fills in a safety check, a plan, a session and an experiment, and every personal page and
 * export is read for the UTC day.
 */
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { addDays, getLocalDate, wallTimeToUtc } from "../../src/core/datetime";
import { postForm, ROOT, startServer, type RunningServer } from "./support";

const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
const allNo = Object.fromEntries(unconditional.map((id) => [id, "no"]));
const PASSWORD = "a long enough passphrase";

/** The instant of local wall time `hhmm` in `timeZone` nearest to now (within half a day). */
function nearest(timeZone: string, hhmm: string): Date {
  const today = getLocalDate(new Date(), timeZone);
  const candidates = [-1, 0, 1].map((d) => wallTimeToUtc(`${addDays(today, d)}T${hhmm}`, timeZone)!);
  return candidates.sort((a, b) => Math.abs(a.getTime() - Date.now()) - Math.abs(b.getTime() - Date.now()))[0]!;
}

/** Every way a page may write the calendar day `iso`: "7 December", "7 Dec", "2026-12-07", "12/7/2026". */
function spellings(iso: string): RegExp {
  const d = new Date(`${iso}T12:00:00Z`);
  const day = d.getUTCDate();
  const long = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(d);
  const short = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" }).format(d);
  return new RegExp(`\\b${day} (${long}|${short})\\b|${iso}|${iso.replace(/-/g, "")}`, "i");
}

/** Date stamps: a date written as when something happened ("Frozen on 7 December", "printed 7 December"). */
const stamp = (iso: string) =>
  new RegExp(`(on|printed|of|since|taken|made|saved|agreed|signed in)[ :]+(\\w+ )?(${spellings(iso).source})`, "i");

const text = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\s+/g, " ");

for (const { zone, wall, utcDayIs } of [
  { zone: "America/New_York", wall: "21:30", utcDayIs: "tomorrow" },
  { zone: "Pacific/Auckland", wall: "07:30", utcDayIs: "yesterday" },
] as const) {
  describe(`local dates at ${wall} in ${zone}`, () => {
    const now = nearest(zone, wall);
    const localDay = getLocalDate(now, zone);
    const utcDay = now.toISOString().slice(0, 10);
    let server: RunningServer;
    let cookie = "";
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });

    beforeAll(async () => {
      expect(utcDay).toBe(addDays(localDay, utcDayIs === "tomorrow" ? 1 : -1));
      server = await startServer({
        nodeArgs: ["--import", join(ROOT, "tests/e2e/fake-clock.mjs")],
        env: { MATWISE_TEST_NOW: now.toISOString() },
      });
      const email = `z${randomBytes(4).toString("hex")}@example.com`;
      const signUp = await postForm(server.url, "/account/sign-up", {
        name: "Zed",
        email,
        password: PASSWORD,
        confirm: PASSWORD,
        timeZone: zone,
      });
      expect(signUp.status).toBe(303);
      cookie = signUp.cookies;
      expect((await postForm(server.url, "/account/safety-checks", allNo, cookie)).status).toBe(303);
      const plan = {
        intent: "keep",
        skin: "average",
        tolerance: "average",
        area: "back",
        level: "fine",
        start: localDay,
      };
      expect((await postForm(server.url, "/plan", plan, cookie)).status).toBe(303);
      const session = {
        startedAt: `${localDay}T${wall}`,
        minutes: "10",
        seconds: "0",
        position: "lying",
        area: "back",
        layer: "clothing",
        matId: "",
        note: "",
        discomfort: "3",
      };
      expect((await postForm(server.url, "/sessions/new", session, cookie)).status).toBe(303);
      const design = {
        outcome: "pain",
        mcid: "1",
        comparator: "rest-without-mat",
        minutes: "15",
        time: "20:00",
        position: "lying",
        area: "back",
        periodDays: "1",
        pairs: "21",
        washout: "no",
        expectation: "5",
        startsOn: localDay,
      };
      const started = await postForm(server.url, "/experiments/new", design, cookie);
      expect(
        started.status,
        text(started.text)
          .match(/[^.]*(must|Choose|needs)[^.]*\./g)
          ?.join(" "),
      ).toBe(303);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("shows no UTC date on any personal page, and names every download by the local day", async () => {
      const checks = await get("/account/safety-checks");
      const checkPath = /href="(\/account\/safety-checks\/[0-9a-f-]{36})"/.exec(await checks.text())?.[1];
      const experiments = await (await get("/experiments")).text();
      const experimentPath = /href="(\/experiments\/[0-9a-f-]{36})"/.exec(experiments)?.[1];
      const sessions = await (await get("/sessions")).text();
      const sessionPath = /href="(\/sessions\/[0-9a-f-]{36})"/.exec(sessions)?.[1];
      expect([checkPath, experimentPath, sessionPath]).not.toContain(undefined);
      const pages = [
        "/today",
        "/plan",
        "/safety-check",
        "/account",
        "/account/safety-checks",
        checkPath!,
        "/sessions",
        sessionPath!,
        "/experiments",
        experimentPath!,
        `${experimentPath!}/report`,
        "/account/reminders",
        "/account/import",
      ];
      const print = await postForm(server.url, "/safety-check/print", allNo, cookie);
      const bodies: [string, string][] = [["/safety-check/print", print.text]];
      for (const path of pages) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        bodies.push([path, await res.text()]);
      }
      const found: string[] = [];
      for (const [path, html] of bodies) {
        const words = text(html);
        // Yesterday in UTC can never appear for an account made today; tomorrow may (a plan's day 2), but never as a stamp.
        const bad = utcDayIs === "yesterday" ? spellings(utcDay) : stamp(utcDay);
        const m = bad.exec(words);
        if (m) found.push(`${path}: …${words.slice(Math.max(0, m.index - 60), m.index + 40)}…`);
      }
      expect(found).toEqual([]);
      // The stamps that are there say the local day.
      const local = spellings(localDay);
      expect(text(bodies.find(([p]) => p === experimentPath)![1])).toMatch(
        new RegExp(`Plan frozen on (${local.source})`, "i"),
      );
      expect(text(bodies.find(([p]) => p.endsWith("/report"))![1])).toMatch(
        new RegExp(`printed (${local.source})`, "i"),
      );

      for (const path of ["/account/export.json", "/account/export.zip", "/account/export.fhir.json"]) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get("content-disposition"), path).toContain(`-${localDay}.`);
        await res.arrayBuffer();
      }
    });
  });
}
