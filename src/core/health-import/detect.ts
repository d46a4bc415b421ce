/**
 * Which kind of file an upload is, from its first bytes (never from its name alone, which a
 * person may have changed): a zip, Apple Health's XML, Fitbit's JSON, Oura's CSV or the plain
 * sleep CSV.
 * @module
 */
import { ValidationError } from "../errors";
import { isOuraHeader } from "./csv";

export type UploadKind = "zip" | "apple-xml" | "fitbit-json" | "oura-csv" | "plain-csv";

/** The largest upload an import takes, in bytes: 1.5 GiB. Apple Health exports are often over 1 GB. */
export const MAX_SLEEP_IMPORT_BYTES = 1536 * 1024 * 1024;
/** The limit in words, for the page and its messages. */
export const MAX_SLEEP_IMPORT_TEXT = "1.5 GB";
/** The largest JSON or CSV file (alone or inside a zip) read whole: far more than years of nights. */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The most nights one upload may bring: a night a day for more than a century. A file with more
 * is not one person's sleep, and is refused in words before anything is stored (issue 25).
 */
export const MAX_NIGHTS_PER_IMPORT = 40_000;
export const TOO_MANY_NIGHTS = `The file holds more than ${MAX_NIGHTS_PER_IMPORT.toLocaleString("en")} nights of sleep, more than a century of nights, so it is not one person's sleep record. Check that you chose the right file, or bring in a shorter export.`;

export const WRONG_FORMAT =
  "This file is not one matwise can read. Choose Apple Health's export.zip or export.xml, a Fitbit or Google Takeout sleep JSON file, Oura's sleep CSV, or a CSV with the columns date, bedtime, sleep onset, wake time and total sleep minutes.";

/** The kind of a file from its first bytes (up to a few kilobytes). */
export function detectUpload(head: Uint8Array): UploadKind {
  if (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05) &&
    (head[3] === 0x04 || head[3] === 0x06)
  )
    return "zip";
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(head)
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (text.includes("\u0000")) throw new ValidationError("", { file: [WRONG_FORMAT] });
  if (text.startsWith("<")) return "apple-xml";
  if (text.startsWith("[") || text.startsWith("{")) return "fitbit-json";
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (isOuraHeader(firstLine)) return "oura-csv";
  if (/(^|[,;\t"])\s*(date|night)\s*("?)([,;\t]|$)/i.test(firstLine)) return "plain-csv";
  throw new ValidationError("", { file: [WRONG_FORMAT] });
}
