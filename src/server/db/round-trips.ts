/**
 * A count of database round trips, kept on the driver (issue 27): every statement sent to
 * PGlite or to PostgreSQL adds one, BEGIN and COMMIT of a transaction included. Tests hold each
 * page to a budget with `countRoundTrips`; the process-wide total is there for the bench.
 *
 * PGlite: the handle given to drizzle is wrapped (`countingPglite`), so `query`, `exec` and the
 * statements of a transaction count. PostgreSQL: each pooled client's `query` counts (the pool's
 * own `query` goes through a client, so nothing counts twice).
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface Tally {
  n: number;
}

const scope = new AsyncLocalStorage<Tally>();
let total = 0;

/** Notes one statement sent to the database (called by the drivers' wrappers). */
export function noteRoundTrip(): void {
  total++;
  const tally = scope.getStore();
  if (tally) tally.n++;
}

/** Statements sent by this process since it started. */
export function roundTripsSoFar(): number {
  return total;
}

/** Runs `fn` and counts the statements it (and everything it awaits) sent to the database. */
export async function countRoundTrips<T>(fn: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const tally: Tally = { n: 0 };
  const result = await scope.run(tally, fn);
  return { result, roundTrips: tally.n };
}

/**
 * `target` with each of its statements (`query`, `exec`, `sql`) counted; with `transactions`,
 * a transaction counts its BEGIN and its COMMIT or ROLLBACK, and its own statements. The methods
 * are bound to the real object, so its private fields keep working.
 */
function counting<T extends object>(target: T, transactions: boolean): T {
  return new Proxy(target, {
    get(real, prop) {
      const value = Reflect.get(real, prop, real) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(real);
      if (prop === "query" || prop === "exec" || prop === "sql") {
        return (...a: unknown[]) => {
          noteRoundTrip();
          return fn(...a);
        };
      }
      if (transactions && prop === "transaction") {
        return (body: (tx: object) => Promise<unknown>) => {
          noteRoundTrip(); // BEGIN
          return (fn((tx: object) => body(counting(tx, false))) as Promise<unknown>).finally(noteRoundTrip); // COMMIT or ROLLBACK
        };
      }
      return fn;
    },
  });
}

/** `client` (a PGlite, or the ResilientPglite in front of one) with its statements counted. */
export function countingPglite<T extends object>(client: T): T {
  return counting(client, true);
}
