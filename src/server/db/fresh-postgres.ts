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
  return { url: url.toString(), drop: () => run(baseUrl, `drop database if exists ${name} with (force)`) };
}
