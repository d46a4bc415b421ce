/**
 * The database switch: PGlite in a local folder by default, PostgreSQL when DATABASE_URL
 * is set. One handle per process, kept on globalThis so that the CLI (which opens the
 * database, takes the lock and migrates before the web server starts) and the bundled
 * server code share it instead of opening the folder twice.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { parseEnv, type Env } from "../env";
import { logger } from "../log";
import { acquireDataDirLock, type DataDirLock } from "./lock";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = "pglite" | "postgresql";

export interface DbHandle {
  db: Db;
  kind: DatabaseKind;
  /** The PGlite instance (embedded only), for backups. */
  pglite?: PGlite;
  /** Folder of the embedded database (embedded only). */
  dataDir?: string;
  close(): Promise<void>;
}

/** The folder holding drizzle's migrations, found from this file in src/ or in dist/. */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, "drizzle/meta/_journal.json"))) return join(dir, "drizzle");
    dir = dirname(dir);
  }
  const fromCwd = resolve("drizzle");
  if (existsSync(join(fromCwd, "meta/_journal.json"))) return fromCwd;
  throw new Error("matwise cannot find its migrations folder (drizzle/). Run it from the project folder.");
}

interface OpenOptions {
  /** Skip the data-directory lock (only for a database that no other process can see). */
  noLock?: boolean;
}

/** Opens the embedded database in `dataDir`, holding the exclusive lock for this process. */
export async function openPglite(dataDir: string, opts: OpenOptions = {}): Promise<DbHandle> {
  mkdirSync(dirname(dataDir), { recursive: true });
  const lock: DataDirLock | null = opts.noLock ? null : acquireDataDirLock(dataDir);
  try {
    const client = await PGlite.create(dataDir);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      pglite: client,
      dataDir,
      async close() {
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** Opens a pool on a PostgreSQL database. */
export async function openPostgres(url: string): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", (err) => logger.error("postgres pool error", err));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  await db.execute(sql`select 1`);
  return { db, kind: "postgresql", close: () => pool.end() };
}

/** Number of migrations in drizzle/ that this database has not applied yet. */
async function pendingMigrations(handle: DbHandle, folder: string): Promise<{ pending: number; applied: number }> {
  const journal = JSON.parse(readFileSync(join(folder, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
  let applied = 0;
  try {
    const rows = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    applied = Number((rows as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  } catch {
    applied = 0;
  }
  return { pending: Math.max(0, journal.entries.length - applied), applied };
}

/** Where automatic and manual backups of the embedded database go by default. */
export function backupsFolder(dataDir: string): string {
  return join(dirname(dataDir), "backups");
}

/** Writes a restorable snapshot (gzipped tarball) of the embedded database. */
export async function snapshotPglite(handle: DbHandle, file: string): Promise<string> {
  if (!handle.pglite) throw new Error("Snapshots are for the embedded database; for PostgreSQL use pg_dump.");
  const blob = await handle.pglite.dumpDataDir("gzip");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  return file;
}

export function timestampForFile(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-");
}

/**
 * Applies pending migrations. On an embedded database that already has data, a snapshot
 * is written to the backups folder first, so a failed migration can be rolled back.
 */
export async function migrateDatabase(handle: DbHandle): Promise<{ applied: number; snapshot?: string }> {
  const folder = migrationsFolder();
  const { pending, applied } = await pendingMigrations(handle, folder);
  if (pending === 0) return { applied: 0 };
  let snapshot: string | undefined;
  if (handle.kind === "pglite" && applied > 0 && handle.dataDir) {
    snapshot = await snapshotPglite(handle, join(backupsFolder(handle.dataDir), `pre-migration-${timestampForFile()}.tar.gz`));
    logger.info(`snapshot before migration written to ${snapshot}`);
  }
  if (handle.kind === "pglite" && handle.pglite) await migratePglite(drizzlePglite(handle.pglite), { migrationsFolder: folder });
  else await migratePg(handle.db as unknown as Parameters<typeof migratePg>[0], { migrationsFolder: folder });
  return { applied: pending, ...(snapshot ? { snapshot } : {}) };
}

/** Opens the database the environment asks for. */
export async function openDatabase(env: Env): Promise<DbHandle> {
  return env.DATABASE_URL ? openPostgres(env.DATABASE_URL) : openPglite(env.dataDir);
}

const KEY = Symbol.for("matwise.db");
type Holder = { [KEY]?: Promise<DbHandle> };
const holder = globalThis as Holder;

/** Makes `handle` the process-wide database (called by `matwise serve` before the web server loads). */
export function setProcessDatabase(handle: DbHandle): void {
  holder[KEY] = Promise.resolve(handle);
}

/**
 * The process-wide database. Opened, locked and migrated on first use when nothing set it
 * (for example under `astro dev` or `node dist/server/entry.mjs`).
 */
export function getDatabase(): Promise<DbHandle> {
  holder[KEY] ??= (async () => {
    const handle = await openDatabase(parseEnv());
    await migrateDatabase(handle);
    return handle;
  })();
  return holder[KEY];
}

/** Shortcut for repositories: the drizzle instance. */
export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}
