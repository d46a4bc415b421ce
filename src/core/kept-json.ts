/**
 * A value kept in the browser (a first-party cookie holding JSON), read back under its zod
 * schema: missing, too long, not JSON or not of the schema's shape all count as nothing kept.
 * @module
 */
import type { z } from "zod";

/** The most characters a kept value may have: anything longer is not ours. */
export const MAX_KEPT_JSON = 1000;

/** The kept value in `raw` as `schema` reads it (unknown keys dropped), or null. */
export function parseKeptJson<S extends z.ZodTypeAny>(schema: S, raw: string | null | undefined): z.output<S> | null {
  if (!raw || raw.length > MAX_KEPT_JSON) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? (parsed.data as z.output<S>) : null;
}
