/**
 * PGlite behind a stable front that survives a PANIC.
 *
 * When PostgreSQL cannot write its log (a full disk), it stops with a PANIC. In PGlite the
 * instance is then dead, and the next message sent into it spins forever on the one thread
 * Node has: every request, /healthz included, would hang. Measured here with PGlite 0.5.16: a
 * fresh instance on the same folder recovers every committed row once there is room again.
 *
 * So drizzle (and through it better-auth) talks to this front, which forwards `query` and
 * `transaction` to the current instance. When an instance reports a PANIC it is fenced at
 * once (every later message into it throws instead of reaching the WebAssembly, including
 * the ROLLBACK and queued queries PGlite still has in hand), callers get a
 * DatabaseUnavailableError (answered with 503), and a fresh instance is opened on the same
 * folder as soon as `canReopen` says so. Errors other than a PANIC pass through unchanged.
 * @module
 */
import type { PGlite } from "@electric-sql/pglite";
import { DatabaseUnavailableError, noteUnavailable, UNAVAILABLE_MESSAGES } from "../availability";

/** PostgreSQL's SQLSTATE for "disk full". */
const DISK_FULL = "53100";

interface PgError {
  severity?: string;
  code?: string;
  message?: string;
}

/** True for an error after which the instance must not be used again. */
export function isFatal(err: unknown): boolean {
  if (err instanceof WebAssembly.RuntimeError) return true;
  const e = err as PgError | null;
  return !!e && typeof e === "object" && (e.severity === "PANIC" || e.severity === "FATAL");
}

export interface ResilientOptions {
  /** Opens a fresh instance on the same folder (the folder lock is already held). */
  open: () => Promise<PGlite>;
  /** Whether reopening is worth trying now (for example, enough free disk space). */
  canReopen: () => boolean;
  /** How often to check whether the database can be reopened (default 1000 ms). */
  retryMs?: number;
  log?: (message: string, err?: unknown) => void;
}

/** The protocol entry points of a PGlite instance that every query goes through. */
interface Fencible {
  execProtocolStream: (...a: unknown[]) => Promise<unknown>;
  execProtocol: (...a: unknown[]) => Promise<unknown>;
  execProtocolRawSync: (...a: unknown[]) => unknown;
}

export class ResilientPglite {
  #instance: PGlite;
  #failure: DatabaseUnavailableError | null = null;
  #timer: NodeJS.Timeout | null = null;
  #reopening = false;
  #closed = false;
  #reopened = 0;
  readonly #opts: ResilientOptions;

  constructor(instance: PGlite, opts: ResilientOptions) {
    this.#opts = opts;
    this.#instance = this.#watch(instance);
  }

  /** The live instance, for snapshots and migrations; throws while the database is failed. */
  get current(): PGlite {
    if (this.#failure)
      throw new DatabaseUnavailableError("database-reopening", UNAVAILABLE_MESSAGES["database-reopening"]);
    return this.#instance;
  }

  /** Why the database cannot be used now (failed, being reopened), or null. */
  get failure(): DatabaseUnavailableError | null {
    return this.#failure;
  }

  /** How many times a failed instance was replaced by a fresh one. */
  get reopened(): number {
    return this.#reopened;
  }

  query: PGlite["query"] = (...args) => this.#call((db) => db.query(...args));

  transaction: PGlite["transaction"] = (fn) => this.#call((db) => db.transaction(fn));

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    // A failed instance is left alone: it is fenced and holds nothing worth flushing.
    if (!this.#failure) await this.#instance.close();
  }

  async #call<T>(op: (db: PGlite) => Promise<T>): Promise<T> {
    if (this.#failure) {
      // Failed before this call: nothing was tried.
      const refused = new DatabaseUnavailableError("database-reopening", UNAVAILABLE_MESSAGES["database-reopening"]);
      noteUnavailable(refused);
      throw refused;
    }
    try {
      return await op(this.#instance);
    } catch (err) {
      if (err instanceof DatabaseUnavailableError || isFatal(err)) {
        // The instance failed while this call used it (or had it queued): like a crash, the
        // outcome of a write in it is unknown until the database is reopened.
        const failure =
          err instanceof DatabaseUnavailableError
            ? err
            : new DatabaseUnavailableError("database-failed", UNAVAILABLE_MESSAGES["database-failed"]);
        noteUnavailable(failure);
        throw failure;
      }
      if ((err as PgError | null)?.code === DISK_FULL)
        noteUnavailable(new DatabaseUnavailableError("disk-full", UNAVAILABLE_MESSAGES["disk-full"]));
      throw err;
    }
  }

  /**
   * Wraps the instance's protocol entry points so that a PANIC fences it the moment PGlite
   * reports it, before PGlite sends anything else (the end of the query, a ROLLBACK, the
   * next queued query). These are public methods of PGlite that `query` and `transaction`
   * call through `this`, so an own property on the instance takes their place.
   */
  #watch(instance: PGlite): PGlite {
    const db = instance as unknown as Fencible;
    let fenced: DatabaseUnavailableError | null = null;
    const fence = (err: unknown) => {
      if (fenced) return;
      fenced = new DatabaseUnavailableError("database-failed", UNAVAILABLE_MESSAGES["database-failed"]);
      this.#fail(instance, fenced, err);
    };
    for (const name of ["execProtocolStream", "execProtocol"] as const) {
      const original = db[name].bind(db);
      db[name] = async (...a: unknown[]) => {
        if (fenced) throw fenced;
        try {
          return await original(...a);
        } catch (err) {
          if (isFatal(err)) fence(err);
          throw err;
        }
      };
    }
    const rawSync = db.execProtocolRawSync.bind(db);
    db.execProtocolRawSync = (...a: unknown[]) => {
      if (fenced) throw fenced;
      try {
        return rawSync(...a);
      } catch (err) {
        if (isFatal(err)) fence(err);
        throw err;
      }
    };
    return instance;
  }

  #fail(instance: PGlite, failure: DatabaseUnavailableError, cause: unknown): void {
    if (instance !== this.#instance || this.#failure || this.#closed) return;
    this.#failure = failure;
    this.#opts.log?.("the embedded database stopped (PANIC); requests get 503 until it is reopened", cause);
    this.#timer = setInterval(() => void this.#tryReopen(), this.#opts.retryMs ?? 1000);
    this.#timer.unref();
  }

  async #tryReopen(): Promise<void> {
    if (this.#reopening || !this.#failure || this.#closed || !this.#opts.canReopen()) return;
    this.#reopening = true;
    try {
      const fresh = this.#watch(await this.#opts.open());
      await fresh.query("select 1");
      if (this.#closed) {
        await fresh.close();
        return;
      }
      this.#instance = fresh;
      this.#failure = null;
      this.#reopened++;
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
      this.#opts.log?.("the embedded database was reopened and recovered; writes are accepted again");
    } catch (err) {
      this.#opts.log?.("the embedded database could not be reopened yet; trying again", err);
    } finally {
      this.#reopening = false;
    }
  }
}
