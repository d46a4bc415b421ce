/**
 * Large uploads, streamed to a temporary file instead of held in memory: the multipart body is
 * parsed as it arrives (busboy), its one file is written to disk and counted, and the form's
 * few text fields are kept. Over `maxBytes` the file is deleted and the upload refused in
 * words. The web server passes such a route's body through unread (BODY_LIMITS `stream`).
 * @module
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { ValidationError } from "../core/errors";
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

const UNREADABLE = "The upload could not be read: it may have been interrupted. Please choose the file and send it again.";

/** Text fields are few and short: anything more is not our form. */
const FIELD_LIMITS = { fields: 20, fieldSize: 4096, files: 1, parts: 30 };

/**
 * Receives a multipart upload, its file streamed to a new temporary folder. Throws a
 * ValidationError (under `file`, or about the whole form) for a body that is too large, not
 * multipart, or cut off; nothing is left on disk then.
 */
export async function receiveUpload(request: Request, limits: UploadLimits): Promise<Upload> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(type) || !request.body) throw new ValidationError("", { "": [UNREADABLE] });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBytes + 64 * 1024) throw new ValidationError("", { [limits.field]: [limits.tooLarge] });

  const dir = await mkdtemp(join(tmpdir(), "matwise-upload-"));
  const discard = () => rm(dir, { recursive: true, force: true });
  const fields = Object.create(null) as Record<string, string>;
  let file: UploadedFile | null = null;
  let tooLarge = false;
  try {
    const parser = busboy({ headers: { "content-type": type }, limits: { ...FIELD_LIMITS, fileSize: limits.maxBytes + 1 }, defParamCharset: "utf8" });
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
    if (tooLarge || (err as { code?: string }).code === "BODY_TOO_LARGE") throw new ValidationError("", { [limits.field]: [limits.tooLarge] });
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
