/**
 * Bringing in sleep and taking records out, against the built server on a 390 px phone: each
 * kind of sample file uploaded through the page (with JavaScript, through the progress island,
 * and without it) lands in the right nights; bad files and a 2 GB upload are refused in words
 * and store nothing; the FHIR export is personal, private and valid FHIR R4. Then a generated
 * Apple Health export of over 200 MB is read whole, by a process doing only the import and by
 * the server through an upload; the memory both take is measured by `npm run bench -- sleep-import`.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expectedNight, writeLargeAppleExport } from "../../scripts/lib/large-apple-export";
import { importInChild, peakRssKb, resetPeak, rssKb, uploadFile } from "../../scripts/lib/sleep-import-memory";
import { validateFhirR4 } from "../support/fhir-r4-schema";
import {
  describeBrowser,
  expectNoA11yViolations,
  launchBrowser,
  ROOT,
  signUpAs,
  startServer,
  type RunningServer,
} from "./support";

const PASSWORD = "a long enough passphrase";
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const fixture = (name: string) => readFileSync(join(ROOT, "tests/fixtures/health-import", name));
const dir = mkdtempSync(join(tmpdir(), "matwise-sleep-"));

describeBrowser("bringing in sleep and the FHIR export", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cookie = "";

  beforeAll(async () => {
    server = await startServer({ dataDir: join(dir, "db") });
    browser = await launchBrowser();
    context = await browser.newContext(PHONE);
    page = await context.newPage();
    await page.goto(`${server.url}/account/sign-up?next=/account/import`);
    for (const [name, value] of Object.entries({
      name: "Ann",
      email: `a${randomBytes(4).toString("hex")}@example.com`,
      password: PASSWORD,
      confirm: PASSWORD,
    }))
      await page.fill(`[name="${name}"]`, value);
    await Promise.all([page.waitForURL(`${server.url}/account/import`), page.click("button[type=submit]")]);
    cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, as = cookie) =>
    fetch(`${server.url}${path}`, { headers: { cookie: as }, redirect: "manual" });
  const sources = async () =>
    (await page.locator(".sources li span").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());

  async function upload(on: Page, name: string, body: Buffer | Uint8Array) {
    await on.goto(`${server.url}/account/import`);
    await on.setInputFiles("#file", { name, mimeType: "application/octet-stream", buffer: Buffer.from(body) });
    await on.click('button:has-text("Bring it in")');
  }

  it("brings in Oura's file with the progress island, and shows it by source", async () => {
    await page.goto(`${server.url}/account/import`);
    await page.waitForSelector("astro-island:not([ssr])", { state: "attached" }); // the island is ready
    await page.setInputFiles("#file", { name: "oura.csv", mimeType: "text/csv", buffer: fixture("oura-sleep.csv") });
    const [posted] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/account/import")),
      page.click('button:has-text("Bring it in")'),
    ]);
    expect(posted.resourceType()).toBe("xhr"); // sent by the island, which shows the upload's progress
    await page.waitForURL(/imported=2&source=oura/);
    expect(await page.locator("p[role=status]").first().textContent()).toContain("Brought in 2 nights from Oura");
    expect(await sources()).toEqual(["Oura: 2 nights, 1 January 2024 to 2 January 2024"]);
    await expectNoA11yViolations(page);
  });

  it("brings in Apple's export.zip, a Fitbit file and a plain CSV without JavaScript", async () => {
    const plain = await browser.newContext({
      ...PHONE,
      javaScriptEnabled: false,
      storageState: await context.storageState(),
    });
    const noJs = await plain.newPage();
    const zip = zipSync({
      "apple_health_export/export.xml": fixture("apple-health-export.xml"),
      "apple_health_export/export_cda.xml": strToU8("<ClinicalDocument/>"),
    });
    for (const [name, body, source, n] of [
      ["export.zip", zip, "apple-health", 3],
      ["sleep-2024-01-01.json", fixture("fitbit-sleep-2024-01-01.json"), "fitbit", 2],
      ["my sleep.csv", fixture("sleep-diary.csv"), "csv", 3],
    ] as const) {
      await upload(noJs, name, body);
      await noJs.waitForURL(new RegExp(`imported=${n}&source=${source}`));
    }
    await plain.close();
    await page.goto(`${server.url}/account/import`);
    expect(await sources()).toEqual([
      "Apple Health: 3 nights, 1 January 2024 to 3 January 2024",
      "a CSV file: 3 nights, 1 January 2024 to 3 January 2024",
      "Fitbit or Google: 2 nights, 1 January 2024 to 2 January 2024",
      "Oura: 2 nights, 1 January 2024 to 2 January 2024",
    ]);
  });

  it("refuses a bad file in words and stores nothing", async () => {
    const before = (await (await get("/account/export.json")).json()) as { importedSleep: unknown[] };
    await upload(
      page,
      "export.zip",
      zipSync({ "apple_health_export/export.xml": fixture("apple-health-export.xml") }).slice(0, 700),
    );
    expect(await page.locator("#file-error").textContent()).toContain("cut off or damaged");
    await expectNoA11yViolations(page);
    await upload(page, "photo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expect(await page.locator("#file-error").textContent()).toContain("not one matwise can read");
    const after = (await (await get("/account/export.json")).json()) as { importedSleep: unknown[] };
    expect(after.importedSleep).toEqual(before.importedSleep);
  });

  it("refuses a 2 GB upload before reading it, in words", async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/account/import`,
        {
          method: "POST",
          headers: {
            "content-type": "multipart/form-data; boundary=x",
            "content-length": 2 * 1024 ** 3,
            origin: server.url,
            cookie,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, text });
            // The answer came before the body: stop sending it.
            req.destroy();
          });
        },
      );
      req.on("error", (err) => ((err as { code?: string }).code === "ECONNRESET" ? undefined : reject(err)));
      req.write("--x\r\n");
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toMatch(/at most 1\.5 GB\. Nothing was stored/);
  });

  it("exports everything as valid FHIR R4, privately, to its owner only", async () => {
    const res = await get("/account/export.fhir.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/fhir\+json/);
    expect(res.headers.get("cache-control")).toMatch(/private/);
    expect(res.headers.get("cache-control")).toMatch(/no-store/);
    const bundle = (await res.json()) as {
      type: string;
      entry: { resource: { resourceType: string; code?: { text?: string } } }[];
    };
    expect(bundle.type).toBe("collection");
    expect(validateFhirR4(bundle)).toEqual([]);
    expect(bundle.entry.filter((e) => e.resource.code?.text?.startsWith("Minutes asleep")).length).toBe(10);
    expect((await get("/account/export.fhir.json", "")).status).toBe(401);
    const bob = await signUpAs(server.url, `b${randomBytes(4).toString("hex")}@example.com`);
    const bobs = (await (await get("/account/export.fhir.json", bob)).json()) as typeof bundle;
    expect(bobs.entry.map((e) => e.resource.resourceType)).toEqual(["Patient"]);
    expect(await (await get("/account/import", bob)).text()).toContain("Nothing yet.");
  });

  it(
    "reads a generated Apple Health export of over 200 MB, alone and through an upload",
    async () => {
      const file = join(dir, "export.xml");
      const written = await writeLargeAppleExport(file, 210 * 1000 * 1000);
      expect(written.bytes).toBeGreaterThan(200 * 1000 * 1000);

      const child = await importInChild(file);
      expect(child.nights).toBe(written.nights);
      expect(child.first).toMatchObject(expectedNight(0));
      expect(child.last).toMatchObject(expectedNight(written.nights - 1));

      const pid = server.proc.pid!;
      const idle = rssKb(pid);
      resetPeak(pid);
      const answer = await uploadFile(server.url, cookie, file);
      expect(answer.status, answer.text.slice(0, 500)).toBe(303);
      expect(answer.location).toBe(`/account/import?imported=${written.nights}&source=apple-health`);
      const serverPeak = peakRssKb(pid);
      console.log(
        `[sleep-import] ${(written.bytes / 1e6).toFixed(0)} MB export, ${written.nights} nights: import process peak ${(child.peakRssKb / 1024).toFixed(0)} MiB (${child.seconds.toFixed(1)} s); server ${(idle / 1024).toFixed(0)} MiB before the upload, peak ${(serverPeak / 1024).toFixed(0)} MiB while receiving and reading it`,
      );
      // How much memory the import and the server take is the benchmark's to judge (npm run bench --
      // sleep-import, budget: under 300 MB); a test asserts no figure that depends on the machine.
      rmSync(file, { force: true });
    },
    0, // no clock: the test waits for the import to finish, however slow the machine
  );
});
