/**
 * Many rows in one statement through one JSON parameter (issue 27): PostgreSQL reads the array
 * with `json_populate_recordset` against the table's own row type. On PGlite, whose work runs on
 * the request thread, 10,000 experiment days took 2.9 s as 20 inserts of 500 rows with bound
 * parameters and 0.6 s this way (measured on the 2-core machine). For tables of plain columns
 * (text, numbers, booleans, dates, timestamps): a Date is sent as its ISO form, a key missing
 * from a row is NULL (not the column's default), so every row should name the same columns.
 *
 * A large import is stored in chunks (`insertRowsAsJsonInChunks`): one 10,000-row statement held
 * PGlite, and with it the whole event loop, for 0.6-2.7 s; chunks of 250 rows held it 50-75 ms
 * each on the loaded 2-core machine (200 ms at a load of 10), so the chunks are sized by time, and
 * the event loop runs between them (decision 096).
 * @module
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { getTableColumns, sql, type SQLWrapper } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

interface Executor {
  execute(query: SQLWrapper): Promise<unknown>;
}

/** Inserts `rows` into `table` in one statement (nothing when there are none). */
export async function insertRowsAsJson<T extends PgTable>(
  db: Executor,
  table: T,
  rows: readonly T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const plain = rows as readonly Record<string, unknown>[];
  const keys = [...new Set(plain.flatMap((r) => Object.keys(r)))].filter((k) => Object.hasOwn(columns, k));
  const names = keys.map((k) => columns[k]!.name);
  const json = plain.map((r) =>
    Object.fromEntries(
      keys.map((k, i): [string, unknown] => {
        const value = r[k];
        return [names[i]!, value instanceof Date ? value.toISOString() : (value ?? null)];
      }),
    ),
  );
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  await db.execute(
    sql`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(json)}::json)`,
  );
}

/** How long one statement of {@link insertRowsAsJsonInChunks} should hold the database (and, on PGlite, the event loop). */
export const CHUNK_TARGET_MS = 25;
const FIRST_CHUNK_ROWS = 150;
/** Below this, statements' own cost (a commit each when not in a transaction) outweighs what smaller ones give back. */
const MIN_CHUNK_ROWS = 60;
const MAX_CHUNK_ROWS = 2_000;

/**
 * Inserts `rows` into `table` in statements of about {@link CHUNK_TARGET_MS} each (the rows per
 * statement halve after a slower one and double after one under a third of it: a loaded machine
 * gets smaller statements), letting the event loop run (a macrotask turn, so sockets and timers
 * are served) between two. Inside a transaction it stays all or nothing; PGlite still takes no
 * other statement until that transaction ends.
 */
export async function insertRowsAsJsonInChunks<T extends PgTable>(
  db: Executor,
  table: T,
  rows: readonly T["$inferInsert"][],
  targetMs = CHUNK_TARGET_MS,
): Promise<void> {
  let size = FIRST_CHUNK_ROWS;
  for (let i = 0; i < rows.length;) {
    if (i > 0) await nextTurn();
    const t0 = performance.now();
    await insertRowsAsJson(db, table, rows.slice(i, i + size));
    i += size;
    const ms = performance.now() - t0;
    if (ms > targetMs) size = Math.max(MIN_CHUNK_ROWS, Math.floor(size / 2));
    else if (ms < targetMs / 3) size = Math.min(MAX_CHUNK_ROWS, size * 2);
  }
}
