/**
 * Bringing in sleep through the action the page uses, on every engine: each sample file (and
 * Apple's export.zip made from the sample) becomes its nights, a second import of the same
 * nights replaces them, bad files store nothing and say why, and a source can be deleted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { strToU8, zipSync } from "fflate";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_NIGHTS_PER_IMPORT } from "../../core/health-import/detect";
import { setProcessDatabase } from "../db/client";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx, type FormResult } from "../forms";
import { listSleepRecords } from "../repositories/sleep-records";
import { deleteSleepSource, importSleep } from "./actions";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/health-import/${name}`, import.meta.url));

function ctxFor(request: Request): FormCtx {
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

function upload(body: Uint8Array, name: string): FormCtx {
  const form = new FormData();
  form.append("file", new File([body as Uint8Array<ArrayBuffer>], name));
  return ctxFor(new Request("http://localhost/account/import", { method: "POST", body: form }));
}

function fileMessage(result: FormResult): string {
  if (!isFormFailure(result))
    throw new Error(`expected a refusal, got ${result.status} ${result.headers.get("location")}`);
  return [...(result.errors["file"] ?? []), ...(result.errors[""] ?? [])].join(" ");
}

function appleZip(xml: Uint8Array): Uint8Array {
  return zipSync({
    "apple_health_export/export.xml": xml,
    "apple_health_export/export_cda.xml": strToU8("<ClinicalDocument/>"),
    "apple_health_export/workout-routes/route_1.gpx": strToU8("<gpx/>"),
  });
}

describeEachDatabase("bringing in sleep", (t) => {
  beforeAll(async () => {
    setProcessDatabase(t.handle);
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com", timeZone: "Europe/London" },
      { id: "bob", name: "Bob", email: "bob@example.com", timeZone: "Europe/Berlin" },
    ]);
  });
  beforeEach(async () => {
    await t.db.execute(sql`delete from sleep_record`);
  });

  const nightsOf = async (userId: string) =>
    (await listSleepRecords(t.db, userId)).map(
      (r) => `${r.source} ${r.night} ${r.totalSleepMinutes} ${r.sleepLatencyMinutes ?? "-"}`,
    );

  it.each([
    [
      "apple-health-export.xml",
      "export.xml",
      ["apple-health 2024-01-01 420 15", "apple-health 2024-01-02 440 -", "apple-health 2024-01-03 430 -"],
    ],
    ["fitbit-sleep-2024-01-01.json", "sleep-2024-01-01.json", ["fitbit 2024-01-01 431 12", "fitbit 2024-01-02 410 0"]],
    ["oura-sleep.csv", "oura.csv", ["oura 2024-01-01 428 12", "oura 2024-01-02 400 0"]],
    ["sleep-diary.csv", "my sleep.csv", ["csv 2024-01-01 440 20", "csv 2024-01-02 400 -", "csv 2024-01-03 410 20"]],
  ])("stores the nights of %s", async (name, uploadedAs, nights) => {
    const result = await importSleep(t.db, upload(fixture(name), uploadedAs), "ann");
    expect(isFormFailure(result) ? result : result.headers.get("location")).toMatch(
      /^\/account\/import\?imported=\d+&source=/,
    );
    expect(await nightsOf("ann")).toEqual(nights);
    expect(await nightsOf("bob")).toEqual([]);
  });

  it("reads Apple's export.zip, and Fitbit sleep files in a Takeout zip", async () => {
    await importSleep(t.db, upload(appleZip(fixture("apple-health-export.xml")), "export.zip"), "ann");
    const takeout = zipSync({
      "Takeout/Fitbit/Global Export Data/sleep-2024-01-01.json": fixture("fitbit-sleep-2024-01-01.json"),
      "Takeout/Fitbit/Global Export Data/steps-2024-01-01.json": strToU8("[]"),
    });
    await importSleep(t.db, upload(takeout, "takeout.zip"), "ann");
    expect(await nightsOf("ann")).toEqual([
      "apple-health 2024-01-01 420 15",
      "fitbit 2024-01-01 431 12",
      "apple-health 2024-01-02 440 -",
      "fitbit 2024-01-02 410 0",
      "apple-health 2024-01-03 430 -",
    ]);
    const [first] = await listSleepRecords(t.db, "ann");
    expect(first).toMatchObject({
      fileName: "export.zip",
      bedtime: "2024-01-01T23:05:00.000Z",
      sleepOnset: "2024-01-01T23:20:00.000Z",
      wakeTime: "2024-01-02T06:30:00.000Z",
    });
  });

  it("replaces a night brought in again from the same source, never counting it twice", async () => {
    await importSleep(t.db, upload(fixture("sleep-diary.csv"), "a.csv"), "ann");
    await importSleep(
      t.db,
      upload(strToU8("date,total sleep minutes\n2024-01-02,390\n2024-01-04,300\n"), "b.csv"),
      "ann",
    );
    expect(await nightsOf("ann")).toEqual([
      "csv 2024-01-01 440 20",
      "csv 2024-01-02 390 -",
      "csv 2024-01-03 410 20",
      "csv 2024-01-04 300 -",
    ]);
  });

  it.each([
    [
      "a picture",
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      "photo.png",
      /not one matwise can read/,
    ],
    [
      "a truncated zip",
      appleZip(fixture("apple-health-export.xml")).slice(0, 900),
      "export.zip",
      /zip file is cut off or damaged/,
    ],
    [
      "a zip without sleep",
      zipSync({ "notes.txt": strToU8("hello") }),
      "notes.zip",
      /neither Apple Health's export.xml nor Fitbit/,
    ],
    ["a cut-off export.xml", fixture("apple-health-export.xml").subarray(0, 4000), "export.xml", /ends early/],
    [
      "a CSV with a bad row",
      strToU8("date,total sleep minutes\n2024-01-01,400\n2024-13-45,300\n"),
      "sleep.csv",
      /Row 3: the date/,
    ],
    ["an empty file", new Uint8Array(0), "empty.csv", /empty|Choose a file/],
  ])("refuses %s in words and stores nothing", async (_what, body, name, message) => {
    await importSleep(t.db, upload(fixture("oura-sleep.csv"), "oura.csv"), "ann");
    const before = await nightsOf("ann");
    expect(fileMessage(await importSleep(t.db, upload(body, name), "ann"))).toMatch(message);
    expect(await nightsOf("ann")).toEqual(before);
  });

  describe("a crafted Takeout zip with too many nights (issue 25)", () => {
    // Each test gets its own temporary folder, so "nothing left behind" is about this test's uploads only.
    const savedTmp = process.env.TMPDIR;
    let tmp = "";
    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), "matwise-import-tmp-"));
      process.env.TMPDIR = tmp;
    });
    afterEach(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(tmp, { recursive: true, force: true });
    });
    const day = (i: number) => new Date(Date.UTC(1700, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const sleepJson = (from: number, count: number) =>
      strToU8(
        JSON.stringify(
          Array.from({ length: count }, (_, k) => ({
            startTime: `${day(from + k)}T23:00:00.000`,
            endTime: `${day(from + k + 1)}T07:00:00.000`,
            minutesAsleep: 420,
          })),
        ),
      );

    it.each([
      // The probe's shape: one sleep file of 130,000 nights (once a RangeError in a success callback: no answer, the upload kept for ever).
      [
        "one file of 130,000 nights",
        () => zipSync({ "Takeout/Fitbit/Global Export Data/sleep-1700-01-01.json": sleepJson(0, 130_000) }),
      ],
      // Files each under the cap that together pass it.
      [
        "two files that together pass the cap",
        () => {
          const half = MAX_NIGHTS_PER_IMPORT / 2 + 1;
          return zipSync({
            "Takeout/Fitbit/a/sleep-1.json": sleepJson(0, half),
            "Takeout/Fitbit/a/sleep-2.json": sleepJson(half, half),
          });
        },
      ],
    ])(
      "answers %s with a clear message, stores nothing and leaves no temporary file",
      async (_what, makeZip) => {
        const result = await importSleep(t.db, upload(makeZip(), "takeout.zip"), "ann");
        expect(fileMessage(result)).toMatch(/more than 40,000 nights of sleep/);
        expect(await nightsOf("ann")).toEqual([]);
        expect(readdirSync(tmp)).toEqual([]);
      },
      120_000,
    );
  });

  it("says when no file was chosen, and when the body is not a form", async () => {
    const empty = new FormData();
    expect(
      fileMessage(
        await importSleep(
          t.db,
          ctxFor(new Request("http://localhost/account/import", { method: "POST", body: empty })),
          "ann",
        ),
      ),
    ).toMatch(/Choose a file/);
    const notMultipart = new Request("http://localhost/account/import", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nhalf a file',
    });
    expect(fileMessage(await importSleep(t.db, ctxFor(notMultipart), "ann"))).toMatch(/could not be read/);
    expect(await nightsOf("ann")).toEqual([]);
  });

  it("deletes every night of one source, and only the person's own", async () => {
    await importSleep(t.db, upload(fixture("oura-sleep.csv"), "oura.csv"), "ann");
    await importSleep(t.db, upload(fixture("sleep-diary.csv"), "mine.csv"), "ann");
    await importSleep(t.db, upload(fixture("oura-sleep.csv"), "oura.csv"), "bob");
    const form = (fields: Record<string, string>) =>
      ctxFor(
        new Request("http://localhost/account/import", {
          method: "POST",
          body: new URLSearchParams(fields),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      );
    const result = await deleteSleepSource(t.db, form({ intent: "delete", source: "oura" }), "ann");
    expect(isFormFailure(result) ? result : result.headers.get("location")).toBe(
      "/account/import?deleted=2&source=oura",
    );
    expect(await nightsOf("ann")).toEqual(["csv 2024-01-01 440 20", "csv 2024-01-02 400 -", "csv 2024-01-03 410 20"]);
    expect(await nightsOf("bob")).toHaveLength(2);
    expect(isFormFailure(await deleteSleepSource(t.db, form({ intent: "delete", source: "__proto__" }), "ann"))).toBe(
      true,
    );
    // The web server lets an upload's size through to this page; a form that is not an upload is held to a form's size.
    const huge = await deleteSleepSource(
      t.db,
      form({ intent: "delete", source: "oura", padding: "a".repeat(200_000) }),
      "bob",
    );
    expect(isFormFailure(huge) && huge.errors[""]?.join(" ")).toMatch(/far larger than this page sends/);
    expect(await nightsOf("bob")).toHaveLength(2);
  });
});
