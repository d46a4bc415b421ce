/**
 * The database's own consistency check, after a crash or a stop:
 *
 * - amcheck (PostgreSQL's checker, shipped with PGlite as an extension): `verify_heapam` on every
 *   table and `bt_index_check(…, heapallindexed => true)` on every B-tree index, catalogs
 *   included, which also proves every heap row is in each index;
 * - always: a sequential scan of every table that reads every column of every row (TOAST
 *   included), and, when amcheck cannot be used, a count of each table through each of its
 *   B-tree indexes compared with the count from the scan.
 *
 * Everything runs in one transaction that is rolled back, so the check leaves nothing behind
 * (not even the extension, when it had to create it).
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { amcheck } from "@electric-sql/pglite/contrib/amcheck";
import pg from "pg";
import type { Query } from "./support";

export interface ConsistencyReport {
  /** "amcheck" when amcheck ran, otherwise why not. */
  amcheck: string;
  tables: number;
  btreeIndexes: number;
  rows: number;
  problems: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Runs one check inside a savepoint, so a check that fails (which is what a corrupt table or
 * index does) is reported and the others still run in the same transaction.
 */
async function inSavepoint<R>(q: Query, text: string): Promise<{ rows: R[] } | { error: string }> {
  await q("savepoint one_check");
  try {
    const rows = await q<R>(text);
    await q("release savepoint one_check");
    return { rows };
  } catch (err) {
    await q("rollback to savepoint one_check");
    return { error: (err as Error).message.split("\n")[0] ?? "error" };
  }
}

/** Runs the checks through `q`, a query function on one connection. */
export async function checkConsistency(q: Query): Promise<ConsistencyReport> {
  const problems: string[] = [];
  await q("begin");
  try {
    const created = await inSavepoint(q, "create extension if not exists amcheck");
    const useAmcheck = !("error" in created);
    const amcheckState =
      "error" in created
        ? `not available (${created.error}); used table scans and index-vs-table counts instead`
        : "amcheck";

    const tables = await q<{ schema: string; name: string; oid: number }>(`
      select n.nspname as schema, c.relname as name, c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' order by 1, 2`);
    const indexes = await q<{
      schema: string;
      name: string;
      tbl: string;
      oid: number;
      firstcol: string | null;
      partial: boolean;
      catalog: boolean;
    }>(`
      select n.nspname as schema, ic.relname as name, tc.relname as tbl, ic.oid::int as oid,
             (select a.attname from pg_attribute a where a.attrelid = i.indrelid and a.attnum = i.indkey[0]) as firstcol,
             i.indpred is not null as partial, n.nspname in ('pg_catalog', 'pg_toast') as catalog
      from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class tc on tc.oid = i.indrelid
      join pg_am am on am.oid = ic.relam join pg_namespace n on n.oid = ic.relnamespace
      where am.amname = 'btree' and ic.relpersistence <> 't' and i.indisvalid order by 1, 2`);

    // Every row of every table, every column, read through a sequential scan.
    await q("set local enable_indexscan = off");
    await q("set local enable_indexonlyscan = off");
    await q("set local enable_bitmapscan = off");
    const counts = new Map<string, number>();
    let rows = 0;
    for (const t of tables) {
      const rel = `${quote(t.schema)}.${quote(t.name)}`;
      const r = await inSavepoint<{ n: number; bytes: number | null }>(
        q,
        `select count(*)::int as n, sum(length(x::text))::float8 as bytes from ${rel} x`,
      );
      if ("error" in r) problems.push(`reading every row of ${rel} failed: ${r.error}`);
      else {
        counts.set(`${t.schema}.${t.name}`, r.rows[0]?.n ?? 0);
        rows += r.rows[0]?.n ?? 0;
      }
    }
    await q("reset enable_indexscan");
    await q("reset enable_indexonlyscan");
    await q("reset enable_bitmapscan");

    if (useAmcheck) {
      for (const t of tables) {
        const bad = await inSavepoint<{ blkno: number; offnum: number; msg: string }>(
          q,
          `select blkno::int, offnum::int, msg from verify_heapam(${t.oid}::oid::regclass)`,
        );
        if ("error" in bad) problems.push(`verify_heapam(${t.schema}.${t.name}) failed: ${bad.error}`);
        else
          for (const b of bad.rows.slice(0, 5))
            problems.push(`${t.schema}.${t.name} block ${b.blkno} item ${b.offnum}: ${b.msg}`);
      }
      for (const i of indexes) {
        const r = await inSavepoint(q, `select bt_index_check(${i.oid}::oid::regclass, true)`);
        if ("error" in r) problems.push(`bt_index_check(${i.schema}.${i.name}) failed: ${r.error}`);
      }
    } else {
      // Count each table through each plain B-tree index and compare with the scan.
      await q("set local enable_seqscan = off");
      await q("set local enable_bitmapscan = off");
      for (const i of indexes.filter((x) => !x.catalog && !x.partial && x.firstcol)) {
        const rel = `${quote(i.schema)}.${quote(i.tbl)}`;
        const col = quote(i.firstcol ?? "");
        const r = await inSavepoint<{ n: number }>(
          q,
          `select (select count(*) from ${rel} where ${col} is not null) + (select count(*) from ${rel} where ${col} is null) as n`,
        );
        const expected = counts.get(`${i.schema}.${i.tbl}`);
        if ("error" in r) problems.push(`counting ${rel} through ${i.name} failed: ${r.error}`);
        else if (Number(r.rows[0]?.n) !== expected)
          problems.push(`${i.schema}.${i.name} holds ${r.rows[0]?.n ?? "?"} rows, the table ${expected ?? "?"}`);
      }
    }
    return { amcheck: amcheckState, tables: tables.length, btreeIndexes: indexes.length, rows, problems };
  } finally {
    await q("rollback");
  }
}

/** Opens the PGlite folder (recovering it like a restart would), checks it, closes it. */
export async function checkPgliteFolder<T>(
  dataDir: string,
  extra?: (q: Query) => Promise<T>,
): Promise<{ report: ConsistencyReport; extra: T | undefined }> {
  const db = await PGlite.create(dataDir, { extensions: { amcheck } });
  try {
    const q: Query = async <R>(text: string) => (await db.query<R>(text)).rows;
    const result = extra ? await extra(q) : undefined;
    return { report: await checkConsistency(q), extra: result };
  } finally {
    await db.close();
  }
}

/** Checks a PostgreSQL database over one connection. */
export async function checkPostgres<T>(
  url: string,
  extra?: (q: Query) => Promise<T>,
): Promise<{ report: ConsistencyReport; extra: T | undefined }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q: Query = async <R>(text: string) => (await client.query(text)).rows as R[];
    const result = extra ? await extra(q) : undefined;
    return { report: await checkConsistency(q), extra: result };
  } finally {
    await client.end();
  }
}
