import type { PGlite } from "@electric-sql/pglite";
import { describe, expect, it, vi } from "vitest";
import { DatabaseUnavailableError, runInRequestContext } from "../availability";
import { isFatal, ResilientPglite } from "./resilient-pglite";

/**
 * Stands in for PGlite 0.5's call structure: `query` sends its messages through
 * `execProtocolStream` → `execProtocolRawSync` and always ends with a sync message, and
 * `transaction` sends BEGIN, then COMMIT or ROLLBACK. After a PANIC the real instance spins
 * forever on the next message; here that message is recorded and throws, so a test can see
 * whether anything reached the dead instance.
 */
class FakePglite {
  readonly sent: string[] = [];
  dead = false;
  panicOn: string | null = null;
  closed = false;

  execProtocolRawSync(msg: string): string {
    if (this.dead) throw new Error(`"${msg}" reached a dead instance (the real one would hang here)`);
    this.sent.push(msg);
    return msg;
  }
  async execProtocolStream(msg: string): Promise<string> {
    const r = await Promise.resolve(this.execProtocolRawSync(msg));
    if (msg === this.panicOn) {
      this.dead = true;
      throw Object.assign(new Error('could not write to file "pg_wal/xlogtemp.42": No space left on device'), {
        severity: "PANIC",
        code: "53100",
      });
    }
    if (msg.startsWith("dup"))
      throw Object.assign(new Error("duplicate key value"), { severity: "ERROR", code: "23505" });
    if (msg.startsWith("extend"))
      throw Object.assign(new Error('could not extend file "base/5/16385": No space left on device'), {
        severity: "ERROR",
        code: "53100",
      });
    return r;
  }
  execProtocol(msg: string): Promise<string> {
    return this.execProtocolStream(msg);
  }
  /** PGlite runs one query (or transaction) at a time; the others wait their turn. */
  #queue: Promise<unknown> = Promise.resolve();
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
  async #query(text: string): Promise<{ rows: { text: string }[] }> {
    try {
      await this.execProtocolStream(text);
    } finally {
      await this.execProtocolStream("sync");
    }
    return { rows: [{ text }] };
  }
  query(text: string): Promise<{ rows: { text: string }[] }> {
    return this.#exclusive(() => this.#query(text));
  }
  transaction<T>(fn: (tx: { query: (t: string) => Promise<unknown> }) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      await this.execProtocol("BEGIN");
      try {
        const result = await fn({ query: (t) => this.#query(t) });
        await this.execProtocol("COMMIT");
        return result;
      } catch (err) {
        await this.execProtocol("ROLLBACK");
        throw err;
      }
    });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const asPglite = (f: FakePglite) => f as unknown as PGlite;

function setUp(opts: { canReopen?: () => boolean } = {}) {
  const first = new FakePglite();
  const opened: FakePglite[] = [];
  const db = new ResilientPglite(asPglite(first), {
    open: () => {
      const f = new FakePglite();
      opened.push(f);
      return Promise.resolve(asPglite(f));
    },
    canReopen: opts.canReopen ?? (() => true),
    retryMs: 5,
  });
  return { first, opened, db };
}

describe("ResilientPglite", () => {
  it("passes queries and ordinary errors through unchanged", async () => {
    const { first, db } = setUp();
    expect((await db.query("select 1")).rows).toEqual([{ text: "select 1" }]);
    await expect(db.query("dup insert")).rejects.toMatchObject({ code: "23505", message: "duplicate key value" });
    expect(await db.transaction(async (tx) => tx.query("insert"))).toEqual({ rows: [{ text: "insert" }] });
    expect(first.sent).toEqual(["select 1", "sync", "dup insert", "sync", "BEGIN", "insert", "sync", "COMMIT"]);
    expect(db.failure).toBeNull();
  });

  it("marks the request, but keeps the error, when a write meets a full disk without a PANIC", async () => {
    const { db } = setUp();
    let caught: unknown;
    const state = runInRequestContext(() => {
      db.query("extend insert").catch((err: unknown) => (caught = err));
    });
    await vi.waitFor(() => expect(caught).toBeDefined());
    expect(caught).toMatchObject({ code: "53100" });
    expect(state.unavailable?.reason).toBe("disk-full");
    expect(db.failure).toBeNull();
  });

  it("fences an instance at its PANIC: nothing more reaches it, and callers get 'unavailable' at once", async () => {
    const { first, db } = setUp({ canReopen: () => false });
    first.panicOn = "insert 2";
    await db.query("insert 1");
    // "insert 3" is queued inside PGlite behind "insert 2" when the PANIC comes.
    const state = runInRequestContext(() => void db.query("insert 2").catch(() => {}));
    await expect(db.query("insert 3")).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await vi.waitFor(() => expect(state.unavailable?.reason).toBe("database-failed"));
    // The sync that PGlite sends after every query did not reach the dead instance.
    expect(first.sent).toEqual(["insert 1", "sync", "insert 2"]);
    await expect(db.query("select 1")).rejects.toMatchObject({ reason: "database-reopening" });
    await expect(db.transaction(async (tx) => tx.query("x"))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(() => db.current).toThrow(DatabaseUnavailableError);
    expect(first.sent).toHaveLength(3);
    await db.close();
  });

  it("does not send ROLLBACK into an instance that panicked inside a transaction", async () => {
    const { first, db } = setUp({ canReopen: () => false });
    first.panicOn = "COMMIT";
    await expect(db.transaction(async (tx) => tx.query("insert"))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(first.sent).toEqual(["BEGIN", "insert", "sync", "COMMIT"]);
    first.panicOn = null;
    const second = setUp({ canReopen: () => false });
    second.first.panicOn = "insert";
    await expect(second.db.transaction(async (tx) => tx.query("insert"))).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
    expect(second.first.sent).toEqual(["BEGIN", "insert"]);
    await db.close();
    await second.db.close();
  });

  it("reopens on a fresh instance once reopening is possible, and serves from it", async () => {
    let room = false;
    const { first, opened, db } = setUp({ canReopen: () => room });
    first.panicOn = "insert";
    await expect(db.query("insert")).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await new Promise((r) => setImmediate(r));
    expect(opened).toHaveLength(0);
    room = true;
    await vi.waitFor(() => expect(db.failure).toBeNull(), { timeout: 5_000 });
    expect(opened).toHaveLength(1);
    expect(db.reopened).toBe(1);
    expect((await db.query("select 2")).rows).toEqual([{ text: "select 2" }]);
    expect(opened[0]?.sent).toEqual(["select 1", "sync", "select 2", "sync"]);
    await db.close();
    expect(opened[0]?.closed).toBe(true);
    expect(first.closed).toBe(false);
  });

  it("knows which errors end an instance", () => {
    expect(isFatal({ severity: "PANIC" })).toBe(true);
    expect(isFatal({ severity: "FATAL" })).toBe(true);
    expect(isFatal(new WebAssembly.RuntimeError("unreachable"))).toBe(true);
    expect(isFatal({ severity: "ERROR", code: "53100" })).toBe(false);
    expect(isFatal(null)).toBe(false);
  });
});
