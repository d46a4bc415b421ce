/**
 * Each hand-written sample file (tests/fixtures/health-import, after each vendor's published
 * format) read into the nights it describes, and the mistakes a person can make refused in words.
 */
import { describe, expect, it } from "vitest";
import appleXml from "../../../tests/fixtures/health-import/apple-health-export.xml?raw";
import fitbitJson from "../../../tests/fixtures/health-import/fitbit-sleep-2024-01-01.json?raw";
import ouraCsv from "../../../tests/fixtures/health-import/oura-sleep.csv?raw";
import diaryCsv from "../../../tests/fixtures/health-import/sleep-diary.csv?raw";
import { ValidationError } from "../errors";
import { createAppleHealthReader, parseAppleDate } from "./apple";
import { readOuraCsv, readPlainSleepCsv } from "./csv";
import { detectUpload } from "./detect";
import { readFitbitSleep } from "./fitbit";
import { dedupeNights, nightOf, type SleepNight } from "./night";

const FIXTURES: Record<string, string> = {
  "apple-health-export.xml": appleXml,
  "fitbit-sleep-2024-01-01.json": fitbitJson,
  "oura-sleep.csv": ouraCsv,
  "sleep-diary.csv": diaryCsv,
};
const fixture = (name: string) => FIXTURES[name]!;

/** The message a refused file gets under `file` (or about the whole form). */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    if (err instanceof ValidationError) return [...(err.issues["file"] ?? []), ...(err.issues[""] ?? [])].join(" ");
    throw err;
  }
  throw new Error("the file was not refused");
}
const bytes = (s: string) => new TextEncoder().encode(s);

function readApple(text: string, chunk = 97): SleepNight[] {
  const r = createAppleHealthReader();
  for (let i = 0; i < text.length; i += chunk) r.write(text.slice(i, i + chunk));
  return r.end();
}

describe("nightOf", () => {
  it.each([
    ["2024-01-01T23:00", "2024-01-02T07:00", "2024-01-01"], // an ordinary night
    ["2024-01-02T02:00", "2024-01-02T10:00", "2024-01-01"], // a late sleeper still belongs to the evening before
    ["2024-01-01T21:00", "2024-01-01T23:30", "2024-01-01"], // an early short sleep
    ["2024-01-02T14:00", "2024-01-02T14:30", "2024-01-02"], // an afternoon nap belongs to the coming night
  ])("%s to %s is the night of %s", (a, b, night) => expect(nightOf(a, b)).toBe(night));

  it("refuses an end before the start", () => expect(nightOf("2024-01-02T07:00", "2024-01-01T23:00")).toBeNull());
});

describe("Apple Health export.xml", () => {
  const expected: SleepNight[] = [
    {
      night: "2024-01-01",
      source: "apple-health",
      bedtime: "2024-01-01T23:05:00.000Z",
      sleepOnset: "2024-01-01T23:20:00.000Z",
      wakeTime: "2024-01-02T06:30:00.000Z",
      totalSleepMinutes: 420,
      sleepLatencyMinutes: 15,
    },
    {
      night: "2024-01-02",
      source: "apple-health",
      bedtime: null,
      sleepOnset: "2024-01-02T22:50:00.000Z",
      wakeTime: "2024-01-03T06:10:00.000Z",
      totalSleepMinutes: 440,
      sleepLatencyMinutes: null,
    },
    {
      night: "2024-01-03",
      source: "apple-health",
      bedtime: null,
      sleepOnset: "2024-01-03T23:30:00.000Z",
      wakeTime: "2024-01-04T07:00:00.000Z",
      totalSleepMinutes: 430,
      sleepLatencyMinutes: null,
    },
  ];

  it("reads the sample into its three nights, whatever the chunk size", () => {
    const text = fixture("apple-health-export.xml");
    expect(detectUpload(bytes(text.slice(0, 4096)))).toBe("apple-xml");
    expect(readApple(text)).toEqual(expected);
    expect(readApple(text, 1)).toEqual(expected);
    expect(readApple(text, 1 << 20)).toEqual(expected);
  });

  it("reads times with their offsets", () => {
    expect(parseAppleDate("2024-07-01 23:10:00 +0200")).toEqual({
      ms: Date.parse("2024-07-01T21:10:00Z"),
      wall: "2024-07-01T23:10:00",
    });
    expect(parseAppleDate("yesterday")).toBeNull();
  });

  it("says a cut-off export ends early", () => {
    const text = fixture("apple-health-export.xml");
    expect(refusal(() => readApple(text.slice(0, Math.floor(text.length * 0.7))))).toMatch(/ends early/);
  });

  it("says an XML file that is not a Health export is not one", () => {
    expect(refusal(() => readApple('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatch(
      /not an Apple Health export/,
    );
  });

  it.each([
    ["an attribute", (pad: string) => `<Record type="HKQuantityTypeIdentifierStepCount" note="${pad}"/>`],
    ["a text", (pad: string) => `<Note>${pad}</Note>`],
  ])("refuses %s of megabytes in words, as it streams, instead of holding it (issue 25)", (_what, element) => {
    const text = fixture("apple-health-export.xml");
    const at = text.indexOf(">", text.indexOf("<HealthData")) + 1;
    const crafted = `${text.slice(0, at)}${element("a".repeat(3 * 1024 * 1024))}${text.slice(at)}`;
    expect(refusal(() => readApple(crafted, 64 * 1024))).toMatch(/longer than a megabyte/);
  });

  it("says broken XML is broken", () => {
    expect(refusal(() => readApple('<HealthData><Record type="x" <</HealthData>'))).toMatch(/could not be read as XML/);
  });
});

describe("Fitbit sleep JSON", () => {
  it("reads Takeout's sample into its main sleeps, naps left out, in the person's zone", () => {
    const text = fixture("fitbit-sleep-2024-01-01.json");
    expect(detectUpload(bytes(text))).toBe("fitbit-json");
    expect(readFitbitSleep(text, "Europe/Berlin")).toEqual([
      {
        night: "2024-01-01",
        source: "fitbit",
        bedtime: "2024-01-01T22:10:00.000Z",
        sleepOnset: "2024-01-01T22:22:00.000Z",
        wakeTime: "2024-01-02T06:05:00.000Z",
        totalSleepMinutes: 431,
        sleepLatencyMinutes: 12,
      },
      {
        night: "2024-01-02",
        source: "fitbit",
        bedtime: "2024-01-02T23:15:00.000Z",
        sleepOnset: "2024-01-02T23:15:00.000Z",
        wakeTime: "2024-01-03T06:45:00.000Z",
        totalSleepMinutes: 410,
        sleepLatencyMinutes: 0,
      },
    ]);
  });

  it("reads the Web API's shape too", () => {
    const logs = JSON.parse(fixture("fitbit-sleep-2024-01-01.json")) as Record<string, unknown>[];
    const api = JSON.stringify({
      sleep: logs.map(({ mainSleep, ...l }) => ({ ...l, isMainSleep: mainSleep })),
      summary: {},
    });
    expect(readFitbitSleep(api, "Europe/Berlin").map((n) => n.night)).toEqual(["2024-01-01", "2024-01-02"]);
  });

  it.each([
    ["{", /could not be read as JSON/],
    ['{"steps": []}', /not a Fitbit sleep export/],
    ['[{"startTime": "2024-01-01T23:00:00.000"}]', /not a Fitbit sleep export/],
  ])("refuses %s", (text, message) => expect(refusal(() => readFitbitSleep(text, "UTC"))).toMatch(message));
});

describe("Oura sleep CSV", () => {
  it("reads the sample's long sleeps, with latency, naps left out", () => {
    const text = fixture("oura-sleep.csv");
    expect(detectUpload(bytes(text))).toBe("oura-csv");
    expect(readOuraCsv(text)).toEqual([
      {
        night: "2024-01-01",
        source: "oura",
        bedtime: "2024-01-01T21:40:12.000Z",
        sleepOnset: "2024-01-01T21:52:12.000Z",
        wakeTime: "2024-01-02T05:31:42.000Z",
        totalSleepMinutes: 428,
        sleepLatencyMinutes: 12,
      },
      {
        night: "2024-01-02",
        source: "oura",
        bedtime: "2024-01-02T20:55:00.000Z",
        sleepOnset: "2024-01-02T20:55:00.000Z",
        wakeTime: "2024-01-03T04:20:00.000Z",
        totalSleepMinutes: 400,
        sleepLatencyMinutes: 0,
      },
    ]);
  });

  it("reads the older export's column names and semicolons", () => {
    const text =
      "summary_date;Bedtime Start;Bedtime End;Total;Onset Latency;is_longest\n2024-01-01;2024-01-02T02:13:19+02:00;2024-01-02T08:12:19+02:00;20310;480;1\n";
    expect(readOuraCsv(text)).toMatchObject([
      { night: "2024-01-01", totalSleepMinutes: 338.5, sleepLatencyMinutes: 8 },
    ]);
  });

  it("names the row with a bad time", () => {
    expect(
      refusal(() =>
        readOuraCsv(
          "bedtime_start,bedtime_end,total_sleep_duration\n2024-01-01 23:00,2024-01-02T07:00:00+00:00,25000\n",
        ),
      ),
    ).toMatch(/^Row 2:/);
  });
});

describe("plain sleep CSV", () => {
  it("reads the sample on the person's clock, a bedtime after midnight in the next morning", () => {
    const text = fixture("sleep-diary.csv");
    expect(detectUpload(bytes(text))).toBe("plain-csv");
    expect(readPlainSleepCsv(text, "Europe/London")).toEqual([
      {
        night: "2024-01-01",
        source: "csv",
        bedtime: "2024-01-01T22:45:00.000Z",
        sleepOnset: "2024-01-01T23:05:00.000Z",
        wakeTime: "2024-01-02T06:50:00.000Z",
        totalSleepMinutes: 440,
        sleepLatencyMinutes: 20,
      },
      {
        night: "2024-01-02",
        source: "csv",
        bedtime: "2024-01-02T23:30:00.000Z",
        sleepOnset: null,
        wakeTime: "2024-01-03T07:10:00.000Z",
        totalSleepMinutes: 400,
        sleepLatencyMinutes: null,
      },
      {
        night: "2024-01-03",
        source: "csv",
        bedtime: "2024-01-04T00:20:00.000Z",
        sleepOnset: "2024-01-04T00:40:00.000Z",
        wakeTime: "2024-01-04T08:00:00.000Z",
        totalSleepMinutes: 410,
        sleepLatencyMinutes: 20,
      },
    ]);
  });

  it.each([
    ["date,total sleep minutes\n01/03/2024,400\n", /Row 2: the date/],
    ["date,total sleep minutes\n2024-03-01,lots\n", /Row 2: total sleep minutes/],
    ["date,total sleep minutes\n2024-03-01,2000\n", /Row 2: total sleep minutes/],
    ["date,bedtime,total sleep minutes\n2024-03-01,11pm,400\n", /Row 2: bedtime must be a time/],
    ["date,total sleep minutes\n2024-03-01,400\n2024-03-01,410\n", /Row 3: the night of 2024-03-01 appears twice/],
    ["date,minutes\n2024-03-01,400\n", /needs at least the columns date and total sleep minutes/],
  ])("refuses %j", (text, message) => expect(refusal(() => readPlainSleepCsv(text, "UTC"))).toMatch(message));
});

describe("detectUpload", () => {
  it("knows a zip by its signature and refuses other binary files and unknown text", () => {
    expect(detectUpload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBe("zip");
    expect(refusal(() => detectUpload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])))).toMatch(
      /not one matwise can read/,
    );
    expect(refusal(() => detectUpload(bytes("hello there\n")))).toMatch(/not one matwise can read/);
  });
});

describe("dedupeNights", () => {
  it("keeps one night per source, the later one, and both sources of the same night", () => {
    const n = (night: string, source: SleepNight["source"], total: number): SleepNight => ({
      night,
      source,
      bedtime: null,
      sleepOnset: null,
      wakeTime: null,
      totalSleepMinutes: total,
      sleepLatencyMinutes: null,
    });
    expect(
      dedupeNights([n("2024-01-01", "oura", 400), n("2024-01-01", "csv", 380), n("2024-01-01", "oura", 410)]),
    ).toEqual([n("2024-01-01", "csv", 380), n("2024-01-01", "oura", 410)]);
  });
});
