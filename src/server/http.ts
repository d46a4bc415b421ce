/**
 * HTTP edge helpers: parse untrusted input once with zod, and map every error to a
 * response in one place. Handlers see typed data; domain code never sees status codes.
 * @module
 */
import type { z } from "zod";
import { ConflictError, NotFoundError, RateLimitedError, UnauthenticatedError, ValidationError } from "../core/errors";
import { readForm } from "./forms";
import { logger } from "./log";

/** Turns zod issues into `{ field: [messages] }`; "" holds messages about the whole input. */
export function fieldIssues(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Parses a value with a schema or throws a ValidationError that lists each field. */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, what = "input"): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`Some of the ${what} is not valid.`, fieldIssues(result.error));
  return result.data as z.infer<S>;
}

/** Reads a form body (urlencoded or multipart) once and validates it. */
export async function parseForm<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readForm(request), "form");
}

/** Reads a JSON body and validates it. */
export async function parseJson<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ValidationError("The request body is not valid JSON.", { "": ["Send a JSON object."] });
  }
  return parseWith(schema, body, "request");
}

export function json(data: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** The one mapping from errors to responses. Unknown errors are logged and become a plain 500. */
export function toResponse(err: unknown): Response {
  if (err instanceof ValidationError) return json({ error: err.message, issues: err.issues }, 400);
  if (err instanceof UnauthenticatedError) return json({ error: err.message || "Please sign in." }, 401);
  if (err instanceof NotFoundError) return json({ error: err.message || "Not found." }, 404);
  if (err instanceof ConflictError) return json({ error: err.message }, 409);
  if (err instanceof RateLimitedError)
    return json({ error: err.message }, 429, { "retry-after": String(err.retryAfterSeconds) });
  logger.error("unhandled error", err);
  return json({ error: "Something went wrong on our side. Nothing was changed; please try again." }, 500);
}

/** Wraps an endpoint so every thrown error goes through `toResponse`. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response> | Response) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (err) {
      return toResponse(err);
    }
  };
}

/** A download of personal data: never cached, saved under `filename`. */
export function download(body: string | Uint8Array<ArrayBuffer>, filename: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
    },
  });
}
