/**
 * POST /account/import: bring in sleep from a wearable or another app (multipart, the file
 * streamed to disk and read in bounded memory), or delete every night from one source
 * (intent=delete). A file that cannot be read stores nothing: all its nights go in one
 * transaction, after the whole file was read.
 * @module
 */
import { ValidationError } from "../../core/errors";
import { MAX_SLEEP_IMPORT_BYTES, MAX_SLEEP_IMPORT_TEXT } from "../../core/health-import/detect";
import { cleanFileName } from "../../core/experiments/import";
import { dedupeNights, SLEEP_SOURCES, type SleepSource } from "../../core/health-import/night";
import type { Db } from "../db/client";
import { loadPersonClock } from "../person-clock";
import { DEFAULT_BODY_LIMIT } from "../body-limits";
import { field, formAction, toFormFailure, type FormCtx, type FormResult } from "../forms";
import { deleteSleepSource as deleteSource, saveSleepNights } from "../repositories/sleep-records";
import { receiveUpload } from "../uploads";
import { readSleepFile } from "./read-file";

export const TOO_LARGE = `The file is larger than ${MAX_SLEEP_IMPORT_TEXT}, the most an import takes. An Apple Health export.zip is usually much smaller than the export.xml inside it: send the zip.`;

/** Reads, checks and stores an uploaded sleep file; then back to the page with how many nights came in. */
export async function importSleep(db: Db, ctx: FormCtx, userId: string): Promise<FormResult> {
  let upload;
  try {
    upload = await receiveUpload(ctx.request, { maxBytes: MAX_SLEEP_IMPORT_BYTES, tooLarge: TOO_LARGE, field: "file" });
  } catch (err) {
    return toFormFailure(err, {});
  }
  try {
    if (!upload.file) throw new ValidationError("", { file: ["Choose a file to bring in."] });
    const clock = await loadPersonClock(db, userId);
    const nights = dedupeNights(await readSleepFile(upload.file.path, clock.timeZone));
    if (nights.length === 0)
      throw new ValidationError("", {
        file: ["The file holds no nights of sleep. Check that sleep tracking was on, or choose another file."],
      });
    const stored = await saveSleepNights(db, userId, nights, cleanFileName(upload.file.name));
    const source = nights[0]!.source;
    return ctx.redirect(`/account/import?imported=${stored}&source=${source}`, 303);
  } catch (err) {
    return toFormFailure(err, {});
  } finally {
    await upload.discard();
  }
}

/**
 * Deletes every night imported from one source. The web server lets a body up to the import's
 * limit through to this page, so a form that is not an upload is held to an ordinary form's size
 * here before it is read.
 */
export function deleteSleepSource(db: Db, ctx: FormCtx, userId: string): Promise<FormResult> {
  return formAction(
    ctx,
    {
      limit: {
        bytes: DEFAULT_BODY_LIMIT,
        field: "",
        message: "That form is far larger than this page sends. To bring in a file, choose it with the file button.",
      },
    },
    async (raw) => {
      const source = field(raw, "source");
      if (!(SLEEP_SOURCES as readonly string[]).includes(source))
        throw new ValidationError("", { "": ["Choose which source to delete."] });
      const deleted = await deleteSource(db, userId, source as SleepSource);
      return ctx.redirect(`/account/import?deleted=${deleted}&source=${source}`, 303);
    },
  );
}

/** The page's one POST: a multipart body is an import, anything else a deletion. */
export function postSleepImport(db: Db, ctx: FormCtx, userId: string): Promise<FormResult> {
  const multipart = /^multipart\/form-data/i.test(ctx.request.headers.get("content-type") ?? "");
  return multipart ? importSleep(db, ctx, userId) : deleteSleepSource(db, ctx, userId);
}
