/**
 * A new, empty PostgreSQL database beside the one `baseUrl` names, for tests and benchmarks
 * that must not share state (the base database may hold another run's tables). Never used by
 * the app itself.
 * @module
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface FreshPostgres {
  /** The new database's connection string. */
  url: string;
  /** Drops the database, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

async function run(baseUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Creates `<prefix>_<random>` on the server of `baseUrl` (whose role needs CREATEDB). */
export async function createFreshPostgres(baseUrl: string, prefix = "matwise_test"): Promise<FreshPostgres> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await run(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(baseUrl, name) };
}

/**
 * `drop database … with (force)`, which ends the test's own connections still open. It fails when a process of a
 * role this one may not end is in the database: an autovacuum worker, which runs as the superuser and which a test's
 * writes can start. A plain drop asks such a worker to stop and waits for it, but fails while our own connections
 * are open; so the two are tried in turn, a few times, until one goes through.
 */
async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run(baseUrl, `drop database if exists ${name}${attempt % 2 === 1 ? " with (force)" : ""}`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 6 || (code !== INSUFFICIENT_PRIVILEGE && code !== OBJECT_IN_USE)) throw err;
    }
  }
}

/** Not allowed to end another role's process (an autovacuum worker). */
const INSUFFICIENT_PRIVILEGE = "42501";
/** Other sessions are in the database. */
const OBJECT_IN_USE = "55006";
