/**
 * Measuring the memory of a sleep import, shared by the streaming test and the bench: the peak
 * resident memory of a process that only reads the file (scripts/measure-sleep-import.ts), and
 * of the web server while it receives and reads an upload (its VmHWM, reset just before).
 * @module
 */
import { spawn } from "node:child_process";
import { createReadStream, readFileSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { basename, join } from "node:path";
import { ROOT } from "./matwise-process";

export interface ChildImport {
  nights: number;
  first: { night: string; totalSleepMinutes: number } | null;
  last: { night: string; totalSleepMinutes: number } | null;
  seconds: number;
  peakRssKbBeforeReading: number;
  peakRssKb: number;
}

/** Runs scripts/measure-sleep-import.ts on `file` in its own process. */
export function importInChild(file: string, timeZone = "UTC"): Promise<ChildImport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts/measure-sleep-import.ts"), file, timeZone],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`measure-sleep-import exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as ChildImport);
    });
  });
}

const status = (pid: number, key: "VmHWM" | "VmRSS") =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);

/** Resets a process's peak resident memory to what it holds now (Linux: clear_refs 5). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** The process's peak resident memory (kB) since start or since the last reset. */
export const peakRssKb = (pid: number) => status(pid, "VmHWM");
/** The process's resident memory now (kB). */
export const rssKb = (pid: number) => status(pid, "VmRSS");

/**
 * Uploads `file` to `${base}/account/import` as a multipart form, streamed from disk with its
 * length declared (as a browser sends it); resolves with the status, the redirect and the body.
 */
export function uploadFile(
  base: string,
  cookie: string,
  file: string,
  name = basename(file),
): Promise<{ status: number; location: string | null; text: string }> {
  const boundary = `----matwise${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(file).size + tail.length;
  const url = new URL("/account/import", base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": length,
          origin: base,
          cookie,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, text }));
      },
    );
    req.on("error", reject);
    req.write(head);
    const body = createReadStream(file);
    body.on("error", reject);
    body.on("end", () => req.end(tail));
    body.pipe(req, { end: false });
  });
}
