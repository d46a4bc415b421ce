/**
 * The experiment pages' POST intents: start (freeze the protocol and draw the schedule),
 * record a check-in, end early, bring one in from a CSV file. Each reads the form once through
 * formAction.
 * @module
 */
import { randomInt } from "node:crypto";
import { CHECK_IN_FIELDS, readCheckIn } from "../../core/experiments/days";
import { buildProtocol, DESIGN_FIELDS, firstDayProblem, type DesignField } from "../../core/experiments/design";
import {
  MAX_IMPORT_BYTES,
  MAX_IMPORT_SIZE_TEXT,
  readImportChoices,
  type ReadImport,
} from "../../core/experiments/import";
import { experimentTitle } from "../../core/experiments/labels";
import { freezeProtocol } from "../../core/experiments/protocol";
import { getLocalDate } from "../../core/datetime";
import { createSchedule } from "../../core/experiments/schedule";
import { ConflictError, RateLimitedError, ValidationError } from "../../core/errors";
import { MAX_SEED } from "../../core/stats/rng";
import { EXPERIMENT_IMPORT_FORM_BYTES } from "../body-limits";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult } from "../forms";
import {
  createExperiment,
  createImportedExperiment,
  endExperiment,
  ExperimentUnderwayError,
  listUnderwayExperiments,
  recordCheckIn,
  requireExperiment,
} from "../repositories/experiments";
import { getTimerGate } from "../../core/timer/gate";
import { loadCurrentResult } from "../safety/data";
import type { ImportTask } from "../workers/analysis-worker";
import { runTask } from "../workers/pool";
import { loadPersonClock } from "../person-clock";
import { loadExperimentDays, startAnalyses } from "./results";

/** A seed from a cryptographic source, in the range the seeded generator accepts. */
const drawSeed = () => randomInt(1, MAX_SEED);

/** POST /experiments/new: freezes the designed protocol, draws the schedule and stores every day. */
export function startExperiment(db: Db, ctx: FormCtx, userId: string, now = new Date()): Promise<FormResult> {
  return formAction(ctx, { keep: DESIGN_FIELDS }, async (raw) => {
    const gate = getTimerGate(await loadCurrentResult(db, ctx.request, userId, now), now);
    if (!gate.ok)
      throw new ValidationError("", {
        "": [
          "An experiment needs a current safety check. Take the safety check (a few minutes), then come back: your answers here are kept in the address.",
        ],
      });
    // Said before any field is checked: no point correcting a form that cannot start yet (the insert checks again, atomically).
    const [underway] = await listUnderwayExperiments(db, userId, now);
    if (underway) await refuseWhileUnderway(() => Promise.reject(new ExperimentUnderwayError(underway)));
    const clock = await loadPersonClock(db, userId);
    const values: Partial<Record<DesignField, string>> = {};
    for (const f of DESIGN_FIELDS) values[f] = field(raw, f);
    const built = buildProtocol(values, clock.timeZone);
    if (!built.ok) throw new ValidationError("", built.errors);
    const today = getLocalDate(now, clock.timeZone);
    const tooFar = firstDayProblem(built.protocol.startsOn, today);
    if (tooFar) throw new ValidationError("", { startsOn: [tooFar] });
    const frozen = freezeProtocol(built.protocol);
    const scheduleSeed = drawSeed();
    const id = await refuseWhileUnderway(() =>
      createExperiment(db, userId, {
        frozen,
        frozenAt: now,
        scheduleSeed,
        analysisSeed: drawSeed(),
        source: "matwise",
        schedule: createSchedule(frozen.protocol, scheduleSeed),
      }),
    );
    return ctx.redirect(`/experiments/${id}?started=1`, 303);
  });
}

/**
 * Runs a start, turning the repository's refusal (another experiment under way) into words that
 * name the running one; the page beside the form links to it, where it can be ended.
 */
export async function refuseWhileUnderway<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    if (err instanceof ExperimentUnderwayError) {
      throw new ConflictError(
        `"${experimentTitle(err.underway.protocol)}" is still under way. One experiment at a time keeps each day's instruction clear: end that one on its page first, or wait until its last day has passed.`,
      );
    }
    throw err;
  }
}

/** POST /experiments/<id> intent=end: ends the experiment early with the person's reason. */
export function endExperimentEarly(
  db: Db,
  ctx: FormCtx,
  userId: string,
  id: string,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, { keep: ["reason"] }, async (raw) => {
    const reason = field(raw, "reason").trim();
    if (reason.length > 500) throw new ValidationError("", { reason: ["Keep the reason under 500 characters."] });
    await endExperiment(db, userId, id, reason || null, now);
    startAnalyses(db, userId, () => loadExperimentDays(db, userId, id));
    return ctx.redirect(`/experiments/${id}?ended=1`, 303);
  });
}

/**
 * POST /experiments/<id>/check-in: the evening answers (kind=evening: what was done, the day's
 * ratings) or the morning's sleep answers (kind=morning, about last night) for one day, read by
 * `readCheckIn` (core): a day is accepted on the day and the day after; a missed day stays missing.
 */
export function saveCheckIn(
  db: Db,
  ctx: FormCtx,
  userId: string,
  experimentId: string,
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, { keep: CHECK_IN_FIELDS }, async (raw) => {
    // The browser's id for this check-in, when it sends one: a repeat of it changes nothing (decision 091).
    const key = /^[a-z0-9-]{1,40}$/.test(field(raw, "key")) ? field(raw, "key") : null;
    const experiment = await requireExperiment(db, userId, experimentId);
    const today = getLocalDate(now, experiment.protocol.timeZone);
    const form = Object.fromEntries(CHECK_IN_FIELDS.map((f) => [f, field(raw, f)])) as Record<
      (typeof CHECK_IN_FIELDS)[number],
      string
    >;
    const read = readCheckIn(form, { primary: experiment.protocol.primaryOutcome, today });
    if (!read.ok) throw new ValidationError("", read.errors);
    const { date, morning, values } = read;
    await recordCheckIn(db, userId, experiment.id, date, values, { now, localDate: today, morning }, key);
    startAnalyses(db, userId, () => loadExperimentDays(db, userId, experiment.id));
    return ctx.redirect(`/experiments/${experiment.id}?checked-in=${morning ? "morning" : "evening"}`, 303);
  });
}

/** Imports one person may have under way at once (issue 25 item 4): each takes a thread of the pool for seconds. */
export const IMPORTS_PER_PERSON = 2;
const importsUnderWay = new Map<string, number>();
const IMPORT_BUSY = `You are already bringing in ${IMPORTS_PER_PERSON} files. Wait until they are done (a few seconds), then send this one again. Nothing was stored.`;

/** Runs `fn` as one of the person's imports, refusing (429, in words) past IMPORTS_PER_PERSON at once. */
async function oneImportAtATime<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const running = importsUnderWay.get(userId) ?? 0;
  if (running >= IMPORTS_PER_PERSON) throw new RateLimitedError(IMPORT_BUSY, 10);
  importsUnderWay.set(userId, running + 1);
  try {
    return await fn();
  } finally {
    const left = (importsUnderWay.get(userId) ?? 1) - 1;
    if (left > 0) importsUnderWay.set(userId, left);
    else importsUnderWay.delete(userId);
  }
}

/**
 * Imports' days are stored one import at a time in this process. On PGlite every statement waits
 * for the transaction before it, so four large imports queued at once held every other request
 * (/healthz included) behind all four; one at a time, a request waits for one at most.
 */
let storing: Promise<unknown> = Promise.resolve();
function oneStoreAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = storing.then(fn, fn);
  storing = run.catch(() => undefined);
  return run;
}

/** An import's file read and analysed on the worker pool (src/server/workers). */
function readImportInPool(task: ImportTask): Promise<ReadImport> {
  return runTask<ReadImport>("readImport", task);
}

/**
 * The most an import's body may carry: the file's limit and room for the form around it. The
 * web server lets more through to /experiments/import (EXPERIMENT_IMPORT_BODY), so a body over
 * this is refused here, in words under the file.
 */
export const IMPORT_BODY_BYTES = EXPERIMENT_IMPORT_FORM_BYTES;

const TOO_LARGE = `The file is larger than ${MAX_IMPORT_SIZE_TEXT}, the most an import takes. A file of one row per day is far smaller; check that you chose the right file.`;

/**
 * POST /experiments/import: reads the CSV (`file`, in the `matwise analyze` format) with the
 * command's own reader and analyses it as the command would; any problem is the command's
 * one-line message under `file`, and nothing is stored. Otherwise it stores the imported
 * protocol (frozen and hashed) and the file's days, ended from the start, and goes to the
 * experiment.
 */
export function importExperiment(db: Db, ctx: FormCtx, userId: string, now = new Date()): Promise<FormResult> {
  return formAction(
    ctx,
    { keep: ["outcome", "better", "mcid"], limit: { bytes: IMPORT_BODY_BYTES, field: "file", message: TOO_LARGE } },
    async (raw, files) => {
      const read = readImportChoices({
        outcome: field(raw, "outcome"),
        better: field(raw, "better"),
        mcid: field(raw, "mcid"),
      });
      const file = files["file"];
      const errors: Record<string, string[]> = read.ok ? {} : { ...read.errors };
      if (!file) errors["file"] = ["Choose the CSV file to bring in."];
      else if (file.size > MAX_IMPORT_BYTES) errors["file"] = [TOO_LARGE];
      if (!read.ok || !file || Object.keys(errors).length > 0) throw new ValidationError("", errors);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const clock = await loadPersonClock(db, userId);
      const analysisSeed = drawSeed();
      const imported = await oneImportAtATime(userId, async () => {
        try {
          // Read as the command reads a file (UTF-8, an invalid byte becoming U+FFFD) and analysed once,
          // so a file the command cannot analyse is refused with its message: on the worker pool's thread.
          return await readImportInPool({
            bytes,
            fileName: file.name,
            choices: read.choices,
            clock: { today: getLocalDate(now, clock.timeZone), timeZone: clock.timeZone },
            seed: analysisSeed,
          });
        } catch (err) {
          if (err instanceof ValidationError) throw new ValidationError("", { file: [err.message] });
          throw err;
        }
      });
      const id = await oneStoreAtATime(() =>
        createImportedExperiment(db, userId, {
          frozen: freezeProtocol(imported.protocol),
          at: now,
          analysisSeed,
          days: imported.days,
        }),
      );
      return ctx.redirect(`/experiments/${id}`, 303);
    },
  );
}
