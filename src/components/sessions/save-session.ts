/**
 * Reads a posted session form: the typed session, or the form's values with a message per
 * field (for a 400 re-render). Shared by the "log a session" and "edit a session" pages.
 */
import { ValidationError } from "../../core/errors";
import { createSessionFormSchema, type SessionInput } from "../../core/sessions/schema";
import { formToObject, parseWith } from "../../server/http";

export type ReadSession = { ok: true; input: SessionInput; values: Record<string, string> } | { ok: false; values: Record<string, string>; issues: Record<string, string[]> };

/** Flattens repeated fields to their first value, for showing the form again. */
function flat(raw: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? "") : v]));
}

export async function readSessionForm(request: Request, matIds: readonly string[], now: Date): Promise<ReadSession> {
  let raw: Record<string, string | string[]>;
  try {
    raw = formToObject(await request.formData());
  } catch {
    return { ok: false, values: {}, issues: { "": ["The form could not be read. Please fill it in again."] } };
  }
  try {
    return { ok: true, input: parseWith(createSessionFormSchema(matIds, now), raw, "form"), values: flat(raw) };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, values: flat(raw), issues: err.issues };
  }
}
