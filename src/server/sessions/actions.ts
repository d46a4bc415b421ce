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


/** Who is saving: the person's id, and the time zone a typed start is read in. */
export interface SessionOwner {
  id: string;
  timeZone: string;
}

async function readSession(raw: RawForm, owner: SessionOwner, now: Date) {
  const mats = await getMatOptions(await getDb(), owner.id);
  return parseWith(createSessionFormSchema(mats.map((m) => m.id), now, owner.timeZone), raw, "form");
}

/** A session kept in the browser is named by a short id of its own; only that shape goes back into a URL. */
const keptId = (raw: RawForm) => {
  const id = field(raw, "kept");
  return /^[a-z0-9-]{1,40}$/.test(id) ? id : null;
};

/**
 * POST /sessions/new: saves a session for the signed-in person. When it came from a session kept
 * in the browser (`kept`), the redirect names it, so the page can remove it from the browser.
 */
export function logSession(ctx: FormCtx, owner: SessionOwner, now = new Date()): Promise<FormResult> {
  return formAction(ctx, { keep: [...SESSION_FORM_FIELDS, "kept"] }, async (raw) => {
    const input = await readSession(raw, owner, now);
    const id = await createMatSession(await getDb(), owner.id, input);
    const kept = keptId(raw);
    return ctx.redirect(`/sessions?saved=${id}${kept ? `&kept-saved=${kept}` : ""}#session-${id}`, 303);
  });
}

/** POST /sessions/<id>: intent=delete erases the session; otherwise its details are replaced. */
export function changeSession(ctx: FormCtx, owner: SessionOwner, id: string, now = new Date()): Promise<FormResult> {
  const userId = owner.id;
  return formAction(ctx, { keep: SESSION_FORM_FIELDS }, async (raw) => {
    const db = await getDb();
    if (field(raw, "intent") === "delete") {
      await deleteMatSession(db, userId, id);
      return ctx.redirect("/sessions?deleted=1", 303);
    }
    const input = await readSession(raw, owner, now);
    await updateMatSession(db, userId, id, input);
    return ctx.redirect(`/sessions?updated=${id}#session-${id}`, 303);
  });
}
