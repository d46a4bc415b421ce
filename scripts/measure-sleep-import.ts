/**
 * Reads one sleep file with the server's own reader (src/server/health-import/read-file.ts) in a
 * process of its own, and prints what it found and the process's peak resident memory (VmHWM)
 * as JSON. The streaming test and `npm run bench -- sleep-import` run it on a generated export
 * of over 200 MB: its peak is the import's memory, apart from the web server around it.
 *
 *   node --import tsx scripts/measure-sleep-import.ts <file> [time zone]
 */
import { readFileSync } from "node:fs";
import { readSleepFile } from "../src/server/health-import/read-file";

const peakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN);
const [file, timeZone = "UTC"] = process.argv.slice(2);
if (!file) {
  console.error("usage: measure-sleep-import <file> [time zone]");
  process.exit(2);
}
const before = peakKb();
const t0 = performance.now();
const nights = await readSleepFile(file, timeZone);
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    nights: nights.length,
    first: nights[0] ?? null,
    last: nights.at(-1) ?? null,
    seconds,
    peakRssKbBeforeReading: before,
    peakRssKb: peakKb(),
  }),
);
