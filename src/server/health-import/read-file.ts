/**
 * Reads an uploaded sleep file from disk, in bounded memory: Apple Health's XML is streamed
 * through the core reader chunk by chunk (also from inside export.zip, with yauzl reading the
 * zip's directory and inflating one entry as a stream); JSON and CSV files, which hold one
 * small record per night, are read whole up to MAX_TEXT_FILE_BYTES.
 * @module
 */
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { Transform, type Readable } from "node:stream";
import yauzl from "yauzl";
import { createAppleHealthReader } from "../../core/health-import/apple";
import { readOuraCsv, readPlainSleepCsv } from "../../core/health-import/csv";
import {
  detectUpload,
  MAX_NIGHTS_PER_IMPORT,
  MAX_TEXT_FILE_BYTES,
  TOO_MANY_NIGHTS,
  WRONG_FORMAT,
  type UploadKind,
} from "../../core/health-import/detect";
import { readFitbitSleep } from "../../core/health-import/fitbit";
import type { SleepNight } from "../../core/health-import/night";
import { ValidationError } from "../../core/errors";

const fileError = (message: string) => new ValidationError("", { file: [message] });
const DAMAGED_ZIP =
  "The zip file is cut off or damaged (it may not have finished downloading or copying), so nothing could be read from it. Export it again and choose the new file.";
const TEXT_TOO_LARGE = `The file is larger than ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MB, far more than a sleep file of years of nights; check that you chose the right file.`;

/**
 * The largest export.xml read, inflated (issue 25): Apple's exports of years run to a few GB; a
 * zip that inflates past this is refused as it streams, whatever its directory claims.
 */
export const MAX_APPLE_XML_BYTES = 8 * 1024 * 1024 * 1024;
const APPLE_TOO_LARGE =
  "The export.xml inside is larger than 8 GB once unpacked, far more than an Apple Health export of years. Check that you chose the right file.";

/** Passes an inflating stream through, failing it past MAX_APPLE_XML_BYTES (the size in a zip's directory may lie). */
function countInflated(stream: Readable): Readable {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_APPLE_XML_BYTES) done(fileError(APPLE_TOO_LARGE));
      else done(null, chunk);
    },
  });
  stream.on("error", (err) => counter.destroy(err));
  return stream.pipe(counter);
}

/** Adds `more` to `nights` one by one (never `push(...more)`, which overflows the stack on a long list), refusing past the cap. */
function addNights(nights: SleepNight[], more: readonly SleepNight[]): void {
  if (nights.length + more.length > MAX_NIGHTS_PER_IMPORT) throw fileError(TOO_MANY_NIGHTS);
  for (const night of more) nights.push(night);
}

/** Feeds a byte stream of Apple Health XML through the core reader and returns its nights. */
async function readAppleStream(stream: Readable): Promise<SleepNight[]> {
  const reader = createAppleHealthReader();
  stream.setEncoding("utf8");
  try {
    for await (const chunk of stream) reader.write(chunk as string);
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return reader.end();
}

/** A whole stream as text, refused past MAX_TEXT_FILE_BYTES. */
async function readSmallText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_TEXT_FILE_BYTES) {
      stream.destroy();
      throw fileError(TEXT_TOO_LARGE);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function readText(kind: Exclude<UploadKind, "zip" | "apple-xml">, text: string, timeZone: string): SleepNight[] {
  if (kind === "fitbit-json") return readFitbitSleep(text, timeZone);
  if (kind === "oura-csv") return readOuraCsv(text);
  return readPlainSleepCsv(text, timeZone);
}

const isAppleXml = (name: string) => /(^|\/)export\.xml$/i.test(name);
const isFitbitSleep = (name: string) => /(^|\/)sleep-[^/]*\.json$/i.test(name);

/**
 * The nights in a zip: Apple Health's `apple_health_export/export.xml`, or every Fitbit
 * `sleep-….json` (Google Takeout). Other entries (export_cda.xml, routes, pictures) are skipped
 * without being inflated.
 */
function readZip(path: string, timeZone: string): Promise<SleepNight[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (openErr, zip) => {
      if (openErr || !zip) {
        reject(fileError(DAMAGED_ZIP));
        return;
      }
      const nights: SleepNight[] = [];
      let found = false;
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        zip.close();
        reject(err instanceof ValidationError ? err : fileError(DAMAGED_ZIP));
      };
      zip.on("error", fail);
      zip.on("end", () => {
        if (failed) return;
        if (!found)
          reject(
            fileError(
              "The zip holds neither Apple Health's export.xml nor Fitbit sleep files (sleep-….json). Choose the export.zip from the Health app or a Google Takeout Fitbit export.",
            ),
          );
        else resolve(nights);
      });
      zip.on("entry", (entry: yauzl.Entry) => {
        // Every failure below rejects (a throw inside yauzl's callbacks would leave the request unanswered).
        try {
          const apple = isAppleXml(entry.fileName);
          const fitbit = isFitbitSleep(entry.fileName);
          if (!apple && !fitbit) {
            zip.readEntry();
            return;
          }
          found = true;
          if (fitbit && entry.uncompressedSize > MAX_TEXT_FILE_BYTES) {
            fail(fileError(TEXT_TOO_LARGE));
            return;
          }
          if (apple && entry.uncompressedSize > MAX_APPLE_XML_BYTES) {
            fail(fileError(APPLE_TOO_LARGE));
            return;
          }
          zip.openReadStream(entry, (streamErr, stream) => {
            if (streamErr || !stream) {
              fail(streamErr);
              return;
            }
            const read = apple
              ? readAppleStream(countInflated(stream))
              : readSmallText(stream).then((text) => readFitbitSleep(text, timeZone));
            read
              .then((more) => {
                addNights(nights, more);
                zip.readEntry();
              })
              .catch(fail);
          });
        } catch (err) {
          fail(err);
        }
      });
      zip.readEntry();
    });
  });
}

/** The nights in an uploaded file, whatever its kind; a file of no known kind, or a damaged one, is a ValidationError under `file`. */
export async function readSleepFile(path: string, timeZone: string): Promise<SleepNight[]> {
  const nights = await readAnySleepFile(path, timeZone);
  if (nights.length > MAX_NIGHTS_PER_IMPORT) throw fileError(TOO_MANY_NIGHTS);
  return nights;
}

async function readAnySleepFile(path: string, timeZone: string): Promise<SleepNight[]> {
  const handle = await open(path, "r");
  let head: Uint8Array;
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length === 0) throw fileError("The file is empty.");
  const kind = detectUpload(head);
  if (kind === "zip") return readZip(path, timeZone);
  if (kind === "apple-xml") {
    if ((await stat(path)).size > MAX_APPLE_XML_BYTES) throw fileError(APPLE_TOO_LARGE);
    return readAppleStream(createReadStream(path, { highWaterMark: 256 * 1024 }));
  }
  const { size } = await stat(path);
  if (size > MAX_TEXT_FILE_BYTES) throw fileError(TEXT_TOO_LARGE);
  const text = await readFile(path, "utf8");
  if (kind !== "fitbit-json" && kind !== "oura-csv" && kind !== "plain-csv") throw fileError(WRONG_FORMAT);
  return readText(kind, text, timeZone);
}
