/**
 * Database tests run the same suite on every available engine: PGlite always (a fresh
 * in-memory database per test file), and PostgreSQL when TEST_DATABASE_URL is set (a
 * fresh database created for the file and dropped after it).
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe } from "vitest";
import { migrateDatabase, openPostgres, type DbHandle } from "./client";
import { createFreshPostgres } from "./fresh-postgres";
import { countingPglite } from "./round-trips";
import * as schema from "./schema";
import type { Db } from "./client";

export interface TestDatabase {
  readonly handle: DbHandle;
  readonly db: Db;
}

async function freshPglite(): Promise<DbHandle> {
  const client = await PGlite.create();
  const db = drizzlePglite(countingPglite(client), { schema }) as unknown as Db;
  return { db, kind: "pglite", pglite: client, close: () => client.close() };
}

async function freshPostgres(baseUrl: string): Promise<DbHandle> {
  const fresh = await createFreshPostgres(baseUrl);
  const handle = await openPostgres(fresh.url);
  return {
    ...handle,
    async close() {
      await handle.close();
      await fresh.drop();
    },
  };
}

export const testEngines: { name: "pglite" | "postgresql"; open: () => Promise<DbHandle> }[] = [
  { name: "pglite", open: freshPglite },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: "postgresql" as const, open: () => freshPostgres(process.env.TEST_DATABASE_URL as string) }]
    : []),
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
