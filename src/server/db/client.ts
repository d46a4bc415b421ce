/**
 * The database switch: PGlite in a local folder by default, PostgreSQL when DATABASE_URL
 * is set. One handle per process, kept on globalThis so that the CLI (which opens the
 * database, takes the lock and migrates before the web server starts) and the bundled
 * server code share it instead of opening the folder twice.
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import {
  DatabaseUnavailableError,
  MB,
  noteUnavailable,
  readDiskSpace,
  UNAVAILABLE_MESSAGES,
  type DiskSpace,
} from "../availability";
import { parseEnv, type Env } from "../env";
import { logger } from "../log";
import { acquireDataDirLock, type DataDirLock } from "./lock";
import { makePrivateDir, makeTreePrivate, privateTarModes, writePrivateFile } from "./private-files";
import { ResilientPglite } from "./resilient-pglite";
import { countingPglite, noteRoundTrip } from "./round-trips";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = "pglite" | "postgresql";

export interface DbHandle {
  db: Db;
  kind: DatabaseKind;
  /** The PGlite instance (embedded only), for backups; throws while the database is failed and reopening. */
  readonly pglite?: PGlite;
  /** Folder of the embedded database (embedded only). */
  dataDir?: string;
  /** Embedded only: free space on the disk of the folder against MATWISE_MIN_FREE_MB. */
  diskSpace?(): DiskSpace;
  /** Why the database cannot be used right now (the embedded one failed and is being reopened), or null. */
  unavailable?(): DatabaseUnavailableError | null;
  close(): Promise<void>;
}

/** Default free space the disk of the embedded database must keep (MATWISE_MIN_FREE_MB). */
export const DEFAULT_MIN_FREE_BYTES = 64 * MB;
/** Free space needed before a failed embedded database is reopened (recovery writes a checkpoint and a log segment). */
const REOPEN_MIN_FREE_BYTES = 64 * MB;

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
  /** Free space the disk must keep; below it writes are refused (default 64 MB, 0 turns it off). */
  minFreeBytes?: number;
  /** PostgreSQL settings of the embedded database (default PGLITE_SETTINGS). */
  settings?: readonly string[];
}

/**
 * PostgreSQL settings of the embedded database (issue 27 item 5, decisions 094 and 099): small
 * work memories and 32 MB of shared buffers, about 110 MiB less resident memory than the
 * default 128 MB. With these sizes a full disk is met first in the transaction status files,
 * as an ordinary "disk full" error (53100) that leaves the instance usable: reads go on, and
 * writes are taken again once there is room. The PANIC on a full log disk (128 MB buffers
 * met it first) is still handled by ResilientPglite; tests/reliability/full-disk.rel.ts shows both.
 */
export const PGLITE_SETTINGS: readonly string[] = [
  "shared_buffers = 32MB",
  "work_mem = 2MB",
  "maintenance_work_mem = 16MB",
  "temp_buffers = 2MB",
  "wal_buffers = 1MB",
];

/** Opens PGlite on `dataDir` with `settings`. */
function createPglite(dataDir: string, settings: readonly string[]): Promise<PGlite> {
  return PGlite.create(dataDir, { postgresqlconf: [...settings] });
}

/**
 * Creates a new embedded database folder, and applies the migrations to it, in a short-lived
 * child process. Creating one runs PostgreSQL's initdb (a second WebAssembly instance), and the
 * migrations' DDL fills PostgreSQL's caches; this process would keep that memory for its whole
 * life (a first start idled about 110 MiB above a restart). Nothing happens
 * when the folder already holds a database; when the child cannot run (no node, no module path),
 * this process creates it itself as before.
 */
function initDataDirApart(dataDir: string, settings: readonly string[]): void {
  if (existsSync(join(dataDir, "PG_VERSION"))) return;
  try {
    const [pglite, drizzle, migrator] = [
      "@electric-sql/pglite",
      "drizzle-orm/pglite",
      "drizzle-orm/pglite/migrator",
    ].map((m) => JSON.stringify(import.meta.resolve(m)));
    const script = [
      `const { PGlite } = await import(${pglite}); const { drizzle } = await import(${drizzle}); const { migrate } = await import(${migrator});`,
      `const db = await PGlite.create(${JSON.stringify(dataDir)}, { postgresqlconf: ${JSON.stringify(settings)} });`,
      `await migrate(drizzle(db), { migrationsFolder: ${JSON.stringify(migrationsFolder())} }); await db.close();`,
    ].join("\n");
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 120_000,
    });
    if (run.status !== 0)
      logger.info(
        `creating the database folder in a child process did not work (${run.stderr.toString().trim().split("\n")[0] ?? run.status}); creating it here`,
      );
    // PGlite wrote its files 0666; made private now, a new folder is not "repaired" (and warned about) later.
    else makeTreePrivate(dataDir);
  } catch (err) {
    logger.info(`creating the database folder in a child process did not work (${String(err)}); creating it here`);
  }
}

/**
 * Opens the embedded database in `dataDir`, holding the exclusive lock for this process. The
 * instance sits behind a ResilientPglite, so a PANIC (full disk) gives 503s and a reopen
 * instead of a hung process.
 */
export async function openPglite(dataDir: string, opts: OpenOptions = {}): Promise<DbHandle> {
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o700 });
  const lock: DataDirLock | null = opts.noLock ? null : acquireDataDirLock(dataDir);
  try {
    const settings = opts.settings ?? PGLITE_SETTINGS;
    initDataDirApart(dataDir, settings);
    const minFreeBytes = opts.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
    const diskSpace = () => readDiskSpace(dataDir, minFreeBytes);
    const create = async () => {
      const instance = await createPglite(dataDir, settings);
      // PGlite writes its files 0666 whatever the umask; the folder's 0700 keeps others out,
      // and the files themselves are put back to 0600 as soon as they exist.
      makeTreePrivate(dataDir);
      return instance;
    };
    repairPrivateFolders(dataDir);
    const client = new ResilientPglite(await create(), {
      open: create,
      canReopen: () => readDiskSpace(dataDir, Math.max(minFreeBytes, REOPEN_MIN_FREE_BYTES)).low === false,
      log: (message, err) => (err ? logger.error(message, err) : logger.info(message)),
    });
    const db = drizzlePglite(countingPglite(client) as unknown as PGlite, { schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      get pglite() {
        return client.current;
      },
      dataDir,
      diskSpace,
      unavailable: () => client.failure,
      async close() {
        try {
          await client.close();
          makeTreePrivate(dataDir);
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

/**
 * Start-up repair (issue 25): the data folder, everything in it and the backups folder beside it
 * become the server's user's alone (0700 folders, 0600 files). A folder that others could read
 * (made by an older matwise, or loosened by hand) is repaired and the repair is logged.
 */
export function repairPrivateFolders(dataDir: string): void {
  if (!existsSync(dataDir)) makePrivateDir(dataDir);
  const repaired = makeTreePrivate(dataDir) + makeTreePrivate(backupsFolder(dataDir));
  if (repaired > 0) {
    logger.warn(
      `the database folder ${dataDir} or its backups could be read by other users; ${repaired} entries were made private to this user (folders 0700, files 0600)`,
    );
  }
}

/**
 * SQLSTATE classes after which a PostgreSQL request is "try again later" rather than a bug:
 * 53100 disk full, 57P01-57P03 the server is shutting down or starting, 08xxx connection lost.
 */
function notePostgresError(err: unknown): void {
  const raw = (err as { code?: unknown } | null)?.code;
  const code = typeof raw === "string" ? raw : "";
  if (code === "53100") noteUnavailable(new DatabaseUnavailableError("disk-full", UNAVAILABLE_MESSAGES["disk-full"]));
  else if (
    /^(57P0[123]|08...)$/.test(code) ||
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"].includes(code)
  ) {
    noteUnavailable(new DatabaseUnavailableError("database-unreachable", UNAVAILABLE_MESSAGES["database-unreachable"]));
  }
}

/** Opens a pool on a PostgreSQL database. */
export async function openPostgres(url: string): Promise<DbHandle> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on("error", (err) => logger.error("postgres pool error", err));
  // Count each statement (src/server/db/round-trips.ts), and note, for the request that meets it, an error that means "try again later" (see notePostgresError).
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      noteRoundTrip();
      const result = query(...a);
      if (result instanceof Promise) result.catch(notePostgresError);
      return result;
    };
  });
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as unknown as { connect: (cb?: unknown) => unknown }).connect = (cb?: unknown) => {
    if (typeof cb === "function") {
      return (connect as unknown as (cb: (err: Error | undefined, ...rest: unknown[]) => void) => void)(
        (err, ...rest) => {
          if (err) notePostgresError(err);
          (cb as (...a: unknown[]) => void)(err, ...rest);
        },
      );
    }
    const result = connect();
    result.catch(notePostgresError);
    return result;
  };
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  await db.execute(sql`select 1`);
  return { db, kind: "postgresql", close: () => pool.end() };
}

/** Number of migrations in drizzle/ that this database has not applied yet. */
async function pendingMigrations(handle: DbHandle, folder: string): Promise<{ pending: number; applied: number }> {
  const journal = JSON.parse(readFileSync(join(folder, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
  let applied = 0;
  try {
    const rows = await handle.db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
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

/**
 * A restorable snapshot (gzipped tarball) of the embedded database. PGlite copies the folder
 * while no query runs, so the copy is what a crash at that instant would leave, and a restore
 * recovers it like a restart after a kill: every transaction committed before the call is in
 * it. Compression happens afterwards, outside the database, so writers wait only for the copy.
 */
export async function snapshotBytes(handle: DbHandle): Promise<Buffer> {
  if (handle.kind !== "pglite") throw new Error("Snapshots are for the embedded database; for PostgreSQL use pg_dump.");
  const pglite = handle.pglite;
  if (!pglite) throw new Error("Snapshots are for the embedded database; for PostgreSQL use pg_dump.");
  const tar = await pglite.dumpDataDir("none");
  // The tarball records PGlite's 0666 modes; a restore must bring back private files.
  return promisify(gzip)(privateTarModes(new Uint8Array(await tar.arrayBuffer())));
}

/**
 * Writes `bytes` to `file` through a temporary file, so a crash never leaves half a snapshot
 * under the name. The file is 0600 from its first byte; a folder it has to create is 0700.
 */
export function writeSnapshotFile(file: string, bytes: Uint8Array): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.partial`;
  writePrivateFile(tmp, bytes);
  renameSync(tmp, file);
  return file;
}

/** Writes a restorable snapshot (gzipped tarball) of the embedded database. */
export async function snapshotPglite(handle: DbHandle, file: string): Promise<string> {
  return writeSnapshotFile(file, await snapshotBytes(handle));
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
    makePrivateDir(backupsFolder(handle.dataDir));
    snapshot = await snapshotPglite(
      handle,
      join(backupsFolder(handle.dataDir), `pre-migration-${timestampForFile()}.tar.gz`),
    );
    logger.info(`snapshot before migration written to ${snapshot}`);
  }
  if (handle.kind === "pglite" && handle.pglite)
    await migratePglite(drizzlePglite(handle.pglite), { migrationsFolder: folder });
  else await migratePg(handle.db as unknown as Parameters<typeof migratePg>[0], { migrationsFolder: folder });
  return { applied: pending, ...(snapshot ? { snapshot } : {}) };
}

/** Opens the database the environment asks for. */
export async function openDatabase(env: Env): Promise<DbHandle> {
  return env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL)
    : openPglite(env.dataDir, { minFreeBytes: env.MATWISE_MIN_FREE_MB * MB });
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
