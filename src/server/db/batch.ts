/**
 * Several selects in one round trip (issue 27). Each query builder (not awaited) becomes a
 * scalar subquery that folds its rows into a JSON array, in the query's own order (the
 * aggregate reads the ordered subquery as it comes: PostgreSQL's documented "usually works",
 * which holds for a plain aggregate over one ordered subquery and is tested on both engines);
 * each row comes back by position and is decoded by the query's own fields, as drizzle decodes
 * a row of the query run alone. One statement, so one round trip, on PGlite and PostgreSQL.
 * @module
 */
import * as drizzle from "drizzle-orm";
import { sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client";

/** Drizzle's own row decoding (exported at run time, left out of its type declarations). */
interface Ordered {
  path: string[];
  field: unknown;
}
const { mapResultRow, orderSelectedFields } = drizzle as unknown as {
  mapResultRow: (
    columns: Ordered[],
    row: unknown[],
    joinsNotNullableMap: Record<string, boolean> | undefined,
  ) => unknown;
  orderSelectedFields: (fields: Record<string, unknown>) => Ordered[];
};

/** A drizzle select builder, not yet awaited. */
type Query<R> = SQLWrapper & PromiseLike<R>;
type Rows<Q> = Q extends PromiseLike<infer R> ? R : never;

interface BuilderInternals {
  config: { fields: Record<string, unknown> };
  joinsNotNullableMap?: Record<string, boolean>;
}

/** Runs every query of `parts` in one statement; the rows of each, as running it alone would give them. */
export async function selectBatch<P extends Record<string, Query<unknown>>>(
  db: Db,
  parts: P,
): Promise<{ [K in keyof P]: Rows<P[K]> }> {
  const names = Object.keys(parts);
  const out = {} as Record<string, unknown>;
  if (names.length === 0) return out as { [K in keyof P]: Rows<P[K]> };
  const columns = names.map(
    (name, i) =>
      sql`(select coalesce(json_agg(to_json(row(q.*))), '[]'::json) from (${parts[name]}) q) as ${sql.identifier(`r${i}`)}`,
  );
  const result = await db.execute<Record<string, unknown>>(sql`select ${sql.join(columns, sql`, `)}`);
  const row = (result as { rows: Record<string, unknown>[] }).rows[0] ?? {};
  names.forEach((name, i) => {
    const builder = parts[name] as unknown as BuilderInternals;
    const fields = orderSelectedFields(builder.config.fields);
    const raw = row[`r${i}`];
    const list = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>[];
    out[name] = list.map((r) =>
      mapResultRow(
        fields,
        fields.map((_, j) => r[`f${j + 1}`]),
        builder.joinsNotNullableMap,
      ),
    );
  });
  return out as { [K in keyof P]: Rows<P[K]> };
}
