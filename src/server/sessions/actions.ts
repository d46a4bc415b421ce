/**
 * The session log's POST intents: log a session, change one, delete one. Each reads the form
 * once, validates it, and answers with a redirect or the form again with a message per field.
 * @module
 */
import { createSessionFormSchema, SESSION_FORM_FIELDS } from "../../core/sessions/schema";
import { getDb } from "../db/client";
import { field, formAction, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseWith } from "../http";
import { createMatSession, deleteMatSession, updateMatSession } from "../repositories/mat-sessions";
import { getMatOptions } from "./data";


async function readSession(raw: RawForm, userId: string, now: Date) {
  const mats = await getMatOptions(await getDb(), userId);
  return parseWith(createSessionFormSchema(mats.map((m) => m.id), now), raw, "form");
}

/** POST /sessions/new: saves a session for the signed-in person. */
export function logSession(ctx: FormCtx, userId: string, now = new Date()): Promise<FormResult> {
  return formAction(ctx, { keep: SESSION_FORM_FIELDS }, async (raw) => {
    const input = await readSession(raw, userId, now);
    const id = await createMatSession(await getDb(), userId, input);
    return ctx.redirect(`/sessions?saved=${id}#session-${id}`, 303);
  });
}

/** POST /sessions/<id>: intent=delete erases the session; otherwise its details are replaced. */
export function changeSession(ctx: FormCtx, userId: string, id: string, now = new Date()): Promise<FormResult> {
  return formAction(ctx, { keep: SESSION_FORM_FIELDS }, async (raw) => {
    const db = await getDb();
    if (field(raw, "intent") === "delete") {
      await deleteMatSession(db, userId, id);
      return ctx.redirect("/sessions?deleted=1", 303);
    }
    const input = await readSession(raw, userId, now);
    await updateMatSession(db, userId, id, input);
    return ctx.redirect(`/sessions?updated=${id}#session-${id}`, 303);
  });
}
