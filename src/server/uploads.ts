/**
 * Large uploads, streamed to a temporary file instead of held in memory: the multipart body is
 * parsed as it arrives (busboy), its one file is written to disk and counted, and the form's
 * few text fields are kept. Over `maxBytes` the file is deleted and the upload refused in
 * words. The web server passes such a route's body through counted, unread (a row of BODY_LIMITS
 * in body-limits.ts marked `stream`).
 * @module
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, rmSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { ValidationError } from "../core/errors";
import { declaredOver, FORM_ROOM_BYTES } from "./body-limits";
import { isAlive } from "./db/lock";
import type { RawForm } from "./forms";

export interface UploadedFile {
  /** The temporary file; delete it with `discard` when done. */
  path: string;
  /** The name the person's computer gave it. */
  name: string;
  bytes: number;
}

export interface Upload {
  fields: RawForm;
  file: UploadedFile | null;
  /** Deletes the temporary file (safe to call twice). */
  discard(): Promise<void>;
}

export interface UploadLimits {
  /** The most bytes the file may have. */
  maxBytes: number;
  /** The message under `file` when it is larger. */
  tooLarge: string;
  /** The name of the file field. */
  field: string;
}

const UNREADABLE =
  "The upload could not be read: it may have been interrupted. Please choose the file and send it again.";

/** Text fields are few and short: anything more is not our form. */
const FIELD_LIMITS = { fields: 20, fieldSize: 4096, files: 1, parts: 30 };

/** Temporary folders of uploads are named `matwise-upload-p<pid>-…`, so a later start can tell whose they are. */
const UPLOAD_PREFIX = "matwise-upload-";
/** Folders of this process's uploads still in use; removed when the process exits, however it exits. */
const live = new Set<string>();
let exitHookInstalled = false;

function track(dir: string): void {
  live.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const d of live) rmSync(d, { recursive: true, force: true });
    });
  }
}

/**
 * Removes what uploads of earlier processes left in the temporary folder (issue 25): folders
 * of processes that are gone (or of an old run that had this process's id), and folders of the
 * older unnamed form that are older than `maxAgeMs`. Called once at start-up; returns how many
 * were removed. Folders of other running matwise processes are left alone.
 */
export async function removeLeftoverUploads(maxAgeMs = 2 * 60 * 60 * 1000, now = Date.now()): Promise<number> {
  const dir = tmpdir();
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(UPLOAD_PREFIX)) continue;
    const path = join(dir, name);
    if (live.has(path)) continue;
    const owner = /^matwise-upload-p(\d+)-/.exec(name);
    let stale: boolean;
    if (owner) {
      const pid = Number(owner[1]);
      stale = pid === process.pid || !isAlive(pid);
    } else {
      const st = await stat(path).catch(() => null);
      stale = st !== null && now - st.mtimeMs > maxAgeMs;
    }
    if (!stale) continue;
    await rm(path, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * Receives a multipart upload, its file streamed to a new temporary folder. Throws a
 * ValidationError (under `file`, or about the whole form) for a body that is too large, not
 * multipart, or cut off; nothing is left on disk then.
 */
export async function receiveUpload(request: Request, limits: UploadLimits): Promise<Upload> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type) || !request.body) throw new ValidationError("", { "": [UNREADABLE] });
  if (declaredOver(request.headers.get("content-length"), limits.maxBytes + FORM_ROOM_BYTES))
    throw new ValidationError("", { [limits.field]: [limits.tooLarge] });

  const dir = await mkdtemp(join(tmpdir(), `${UPLOAD_PREFIX}p${process.pid}-`));
  track(dir);
  const discard = async () => {
    await rm(dir, { recursive: true, force: true });
    live.delete(dir);
  };
  const fields = Object.create(null) as Record<string, string>;
  let file: UploadedFile | null = null;
  let tooLarge = false;
  try {
    const parser = busboy({
      headers: { "content-type": type },
      limits: { ...FIELD_LIMITS, fileSize: limits.maxBytes + 1 },
      defParamCharset: "utf8",
    });
    const writes: Promise<void>[] = [];
    parser.on("field", (name, value) => {
      if (!Object.hasOwn(fields, name)) fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== limits.field || file) {
        stream.resume();
        return;
      }
      const path = join(dir, `upload-${randomBytes(6).toString("hex")}`);
      const entry: UploadedFile = { path, name: info.filename ?? "", bytes: 0 };
      file = entry;
      // busboy says "limit" on reaching its fileSize, one byte over ours: a file of exactly maxBytes passes.
      stream.on("limit", () => {
        tooLarge = true;
      });
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          entry.bytes += chunk.length;
          done(null, chunk);
        },
      });
      const write = pipeline(stream, count, createWriteStream(path));
      // Awaited below; a body cut off fails both the parser and this, and the parser's failure is the one reported.
      write.catch(() => undefined);
      writes.push(write);
    });
    const body = Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>);
    await pipeline(body, parser);
    await Promise.all(writes);
  } catch (err) {
    await discard();
    if (err instanceof ValidationError) throw err;
    if (tooLarge || (err as { code?: string }).code === "BODY_TOO_LARGE")
      throw new ValidationError("", { [limits.field]: [limits.tooLarge] });
    throw new ValidationError("", { "": [UNREADABLE] });
  }
  if (tooLarge) {
    await discard();
    throw new ValidationError("", { [limits.field]: [limits.tooLarge] });
  }
  const got = file as UploadedFile | null;
  if (got && got.bytes === 0 && got.name === "") file = null;
  return { fields, file, discard };
}
