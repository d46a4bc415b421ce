/**
 * What the schema files share: timestamps with a time zone, and CHECK clauses built from the
 * core's constants, so an allowed value is written once (in src/core) and the database
 * refuses anything else.
 * @module
 */
import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

export const tz = { withTimezone: true } as const;

/** `column in ('a', 'b', …)` for a CHECK constraint, from a list of allowed values. */
export function oneOf(column: PgColumn, values: readonly string[]): SQL {
  for (const v of values)
    if (!/^[A-Za-z0-9-]+$/.test(v)) throw new Error(`oneOf: "${v}" is not a plain value (letters, digits and -)`);
  return sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(", "))})`;
}
