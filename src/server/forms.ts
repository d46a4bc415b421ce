/**
 * Form handling, written once: read a posted form a single time, run the action, and turn an
 * expected failure into what the page needs to show the form again (a status, a message per
 * field under `errors`, the values to refill). Every `src/server/<feature>/actions.ts` goes
 * through {@link formAction}; no page reads a request body itself.
 * @module
 */
import type { APIContext } from "astro";
import { BodyTooLargeError, declaredOver, limitedChunks } from "./body-limits";
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from "../core/errors";
import { controlCharacterErrors } from "../core/text";

/** Posted fields by name; a repeated name becomes an array. Has no prototype. */
export type RawForm = Readonly<Record<string, string | string[]>>;

/** Posted files by field name (the first file of each name). Has no prototype. */
export type RawFiles = Readonly<Record<string, File>>;

/**
 * The most bytes a form's body may have (a figure from src/server/body-limits.ts), counted
 * before anything is parsed: the declared Content-Length first (so an honest client is answered
 * without sending the rest), then the bytes as they arrive. Over it, `message` is shown on `field`.
 */
export interface FormSizeLimit {
  bytes: number;
  field: string;
  message: string;
}

export interface FormFailure {
  status: number;
  /** Messages per field name; "" holds messages about the whole form. */
  errors: Record<string, string[]>;
  /** Values to put back in the form (never passwords). */
  values: Record<string, string>;
  /** A message about the whole form. */
  message?: string;
}

/** A redirect (or other response) on success, or the form to show again. */
export type FormResult = Response | FormFailure;

/** What an action needs of Astro's context (an endpoint's context or a page's `Astro`). */
export type FormCtx = Pick<APIContext, "request" | "url" | "redirect"> & Partial<Pick<APIContext, "clientAddress">>;

const UNREADABLE = "The form could not be read. Please fill it in again.";

/**
 * Form fields as an object without a prototype, so a field called `__proto__`, `constructor`
 * or `toString` is just a field. Files are ignored.
 */
export function formToObject(form: FormData): RawForm {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** The first file posted under each name; empty file inputs (no file chosen) are left out. */
export function formFiles(form: FormData): RawFiles {
  const out = Object.create(null) as Record<string, File>;
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" || Object.hasOwn(out, key)) continue;
    if (value.size === 0 && value.name === "") continue;
    out[key] = value;
  }
  return out;
}

/** The first value of a field, or "" when it is missing. */
export function field(raw: RawForm, name: string): string {
  const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

/** Reads the posted form once; an unreadable body is a ValidationError about the whole form. */
export async function readForm(request: Request): Promise<RawForm> {
  return cleanForm(formToObject(await readFormData(request)));
}

/**
 * The one free-text rule, for every field of every form (issue 25): a form with a control
 * character in any field (passwords aside) is a ValidationError naming the field, whatever the
 * action's own schema checks.
 */
function cleanForm(raw: RawForm): RawForm {
  const unclean = controlCharacterErrors(raw);
  if (unclean) throw new ValidationError("", unclean);
  return raw;
}

/** The body as FormData, at most `limit.bytes` of it; unreadable or too large is a ValidationError. */
async function readFormData(request: Request, limit?: FormSizeLimit): Promise<FormData> {
  let source: Request | Response = request;
  if (limit) {
    const tooLarge = () => new ValidationError("", { [limit.field]: [limit.message] });
    if (declaredOver(request.headers.get("content-length"), limit.bytes)) throw tooLarge();
    const chunks: Uint8Array[] = [];
    try {
      // Leaving the loop at the first byte over cancels the body.
      if (request.body) for await (const chunk of limitedChunks(request.body, limit.bytes)) chunks.push(chunk);
    } catch (err) {
      throw err instanceof BodyTooLargeError ? tooLarge() : err;
    }
    source = new Response(Buffer.concat(chunks), {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    });
  }
  try {
    return await source.formData();
  } catch {
    throw new ValidationError("", { "": [UNREADABLE] });
  }
}

/** The named fields' first values, to refill a form. */
export function refill(raw: RawForm, keep: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keep) if (Object.hasOwn(raw, k)) out[k] = field(raw, k);
  return out;
}

/** Maps an expected failure to a FormFailure; anything else is rethrown (and becomes a 500). */
export function toFormFailure(err: unknown, values: Record<string, string>): FormFailure {
  if (err instanceof ValidationError) {
    const onFields = Object.keys(err.issues).some((k) => k !== "");
    // Field problems get one heading (the list below names each field); a whole-form problem speaks for itself.
    const message = onFields ? "Please correct the fields marked below." : err.message || undefined;
    return { status: 400, errors: err.issues, values, ...(message ? { message } : {}) };
  }
  if (err instanceof RateLimitedError) return { status: 429, errors: {}, values, message: err.message };
  if (err instanceof NotFoundError)
    return {
      status: 404,
      errors: {},
      values,
      message: err.message || "There is no such thing here; nothing was changed.",
    };
  if (err instanceof ConflictError) return { status: 409, errors: {}, values, message: err.message };
  throw err;
}

export interface FormActionOptions {
  /** Fields whose values go back into the form after a failure (never passwords). */
  keep?: readonly string[];
  /** For a form with a file: the most bytes its body may have (the web server may allow less). */
  limit?: FormSizeLimit;
}

/**
 * Reads the form once and runs `body` with its fields and files. A ValidationError,
 * RateLimitedError, NotFoundError or ConflictError becomes a FormFailure for the page to
 * render; the page sets the status.
 */
export async function formAction(
  ctx: FormCtx,
  opts: FormActionOptions,
  body: (raw: RawForm, files: RawFiles) => Promise<Response>,
): Promise<FormResult> {
  let raw: RawForm = Object.create(null) as RawForm;
  try {
    const form = await readFormData(ctx.request, opts.limit);
    raw = formToObject(form);
    return await body(cleanForm(raw), formFiles(form));
  } catch (err) {
    return toFormFailure(err, refill(raw, opts.keep ?? []));
  }
}

/** Whether an action's result is the form to show again. */
export function isFormFailure(result: FormResult): result is FormFailure {
  return !(result instanceof Response);
}

/** The parts of a page's `Astro` that {@link runPost} uses. */
export type PageCtx = FormCtx & { response: { status?: number | undefined } };

/**
 * A page's POST in one call: runs `action` when the request is a POST and returns its
 * response (a redirect), or its FormFailure with the page's status set from it; null for a GET.
 */
export async function runPost<C extends PageCtx>(
  page: C,
  action: (ctx: C) => Promise<FormResult>,
): Promise<Response | FormFailure | null> {
  if (page.request.method !== "POST") return null;
  const result = await action(page);
  if (!isFormFailure(result)) return result;
  page.response.status = result.status;
  return result;
}
