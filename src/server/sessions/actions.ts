/**
 * The session log's POST intents: log a session, change one, delete one. Each reads the form
 * once, validates it, and answers with a redirect or the form again with a message per field.
 * @module
 */
import { createSessionFormSchema, SESSION_FORM_FIELDS, type SessionInput } from "../../core/sessions/schema";
import { getKeptRefusal, KEPT_REFUSAL_TEXT, KEPT_REFUSALS, type KeptRefusal } from "../../core/sessions/kept";
import type { MatOption } from "../../core/mats/user-mat";
import type { Db } from "../db/client";
import { field, formAction, type FormCtx, type FormResult, type RawForm } from "../forms";
import { parseWith } from "../http";
import { ValidationError } from "../../core/errors";
import { createMatSession, createMatSessions, deleteMatSession, updateMatSession } from "../repositories/mat-sessions";
import { getMatOptions } from "./data";

/** Who is saving: the person's id, and the time zone a typed start is read in. */
export interface SessionOwner {
  id: string;
  timeZone: string;
}

async function readSession(db: Db, raw: RawForm, owner: SessionOwner, catalogue: readonly MatOption[], now: Date) {
  const mats = await getMatOptions(db, owner.id, catalogue);
  return parseWith(
    createSessionFormSchema(
      mats.map((m) => m.id),
      now,
      owner.timeZone,
    ),
    raw,
    "form",
  );
}

/** A session kept in the browser is named by a short id of its own; only that shape goes back into a URL. */
const keptId = (raw: RawForm) => {
  const id = field(raw, "kept");
  return /^[a-z0-9-]{1,40}$/.test(id) ? id : null;
};

/**
 * POST /sessions/new: saves a session for the signed-in person. When it came from a session kept
 * in the browser (`kept`), the redirect names it, so the page can remove it from the browser, and
 * the id is stored as the session's client key: sent again (an offline save replayed, a retried
 * post), it makes no second row and gets the same answer (decision 091).
 */
export function logSession(
  db: Db,
  ctx: FormCtx,
  owner: SessionOwner,
  catalogue: readonly MatOption[],
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, { keep: [...SESSION_FORM_FIELDS, "kept"] }, async (raw) => {
    const input = await readSession(db, raw, owner, catalogue, now);
    const kept = keptId(raw);
    // The kept id is the idempotency key: the same session sent again is answered with the one saved.
    const id = await createMatSession(db, owner.id, input, kept);
    return ctx.redirect(`/sessions?saved=${id}${kept ? `&kept-saved=${kept}` : ""}#session-${id}`, 303);
  });
}

/** POST /sessions/<id>: intent=delete erases the session; otherwise its details are replaced. */
export function changeSession(
  db: Db,
  ctx: FormCtx,
  owner: SessionOwner,
  id: string,
  catalogue: readonly MatOption[],
  now = new Date(),
): Promise<FormResult> {
  const userId = owner.id;
  return formAction(ctx, { keep: SESSION_FORM_FIELDS }, async (raw) => {
    if (field(raw, "intent") === "delete") {
      await deleteMatSession(db, userId, id);
      return ctx.redirect("/sessions?deleted=1", 303);
    }
    const input = await readSession(db, raw, owner, catalogue, now);
    await updateMatSession(db, userId, id, input);
    return ctx.redirect(`/sessions?updated=${id}#session-${id}`, 303);
  });
}

/** The most sessions one "save them to my account" takes; the browser keeps no more than 30. */
const MAX_IMPORT = 50;
const UNREADABLE =
  "The sessions kept in this browser could not be read, so nothing was saved. You can discard them on Today.";

/**
 * POST /sessions/import: saves the sessions a person kept in this browser before signing in,
 * after they chose to. `sessions` is a JSON list of the session form's fields, each with the
 * browser's own `id`; each is validated exactly like a session typed into the form. The valid
 * ones are saved together; the redirect names them (so the browser forgets them) and says how
 * many were refused.
 */
export function saveKeptSessions(
  db: Db,
  ctx: FormCtx,
  owner: SessionOwner,
  catalogue: readonly MatOption[],
  now = new Date(),
): Promise<FormResult> {
  return formAction(ctx, {}, async (raw) => {
    const text = field(raw, "sessions");
    let list: unknown;
    try {
      list = text.length > 200_000 ? null : JSON.parse(text);
    } catch {
      list = null;
    }
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_IMPORT)
      throw new ValidationError("", { "": [UNREADABLE] });
    const mats = await getMatOptions(db, owner.id, catalogue);
    const schema = createSessionFormSchema(
      mats.map((m) => m.id),
      now,
      owner.timeZone,
    );
    const ok: { id: string; input: SessionInput & { clientKey: string } }[] = [];
    let refused = 0;
    const why = new Set<KeptRefusal>();
    for (const item of list) {
      const fields = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
      const id = typeof fields.id === "string" && /^[a-z0-9-]{1,40}$/.test(fields.id) ? fields.id : null;
      const strings = Object.fromEntries(
        Object.entries(fields).filter(([k, v]) => k !== "id" && typeof v === "string"),
      );
      const parsed = schema.safeParse(strings);
      if (id && parsed.success) ok.push({ id, input: { ...parsed.data, clientKey: id } });
      else {
        refused += 1;
        why.add(parsed.success ? "invalid" : getKeptRefusal(parsed.error.issues, strings));
      }
    }
    const reasons = KEPT_REFUSALS.filter((r) => why.has(r));
    if (ok.length === 0) {
      throw new ValidationError("", {
        "": [
          `None of the sessions kept in this browser could be saved: ${reasons.map((r) => KEPT_REFUSAL_TEXT[r]).join("; ")}. You can discard them on Today.`,
        ],
      });
    }
    await createMatSessions(
      db,
      owner.id,
      ok.map((o) => o.input),
    );
    const query = new URLSearchParams({
      "kept-saved": ok.map((o) => o.id).join(","),
      ...(refused ? { "kept-refused": String(refused), "kept-why": reasons.join(",") } : {}),
    });
    return ctx.redirect(`/today?${query.toString()}`, 303);
  });
}
