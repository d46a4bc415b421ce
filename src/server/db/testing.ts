/**
 * Database tests run the same suite on every available engine: PGlite always (a fresh
 * in-memory database per test file), and PostgreSQL when TEST_DATABASE_URL is set (a
 * fresh database created for the file and dropped after it).
 * @module
 */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { migrateDatabase, openPostgres, type DbHandle } from "./client";
import * as schema from "./schema";
import type { Db } from "./client";

export interface TestDatabase {
  readonly handle: DbHandle;
  readonly db: Db;
}

async function freshPglite(): Promise<DbHandle> {
  const client = await PGlite.create();
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", pglite: client, close: () => client.close() };
}

async function freshPostgres(baseUrl: string): Promise<DbHandle> {
  const name = `matwise_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString());
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export const testEngines: { name: "pglite" | "postgresql"; open: () => Promise<DbHandle> }[] = [
  { name: "pglite", open: freshPglite },
  ...(process.env.TEST_DATABASE_URL ? [{ name: "postgresql" as const, open: () => freshPostgres(process.env.TEST_DATABASE_URL as string) }] : []),
];

/**
 * Declares `fn` once per engine with a migrated, empty database for the whole block.
 * Use `t.db` inside tests (it is ready once `beforeAll` has run).
 */
export function describeEachDatabase(name: string, fn: (t: TestDatabase) => void): void {
  for (const engine of testEngines) {
    describe(`${name} [${engine.name}]`, () => {
      const state: { handle?: DbHandle } = {};
      const t: TestDatabase = {
        get handle() {
          if (!state.handle) throw new Error("database not ready: use it inside a test or hook");
          return state.handle;
        },
        get db() {
          return this.handle.db;
        },
      };
      beforeAll(async () => {
        state.handle = await engine.open();
        await migrateDatabase(state.handle);
      });
      afterAll(async () => {
        await state.handle?.close();
      });
      fn(t);
    });
  }
}
