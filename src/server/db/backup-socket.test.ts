import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backupSocketPath, listenForBackups, requestSnapshot, type BackupListener } from "./backup-socket";
import { openPglite, type DbHandle } from "./client";

/** Sends raw bytes to the socket and returns everything it answers. */
function rawRequest(path: string, text: string): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = createConnection(path, () => socket.write(text));
    let out = "";
    socket.on("data", (c: Buffer) => (out += c.toString()));
    socket.on("end", () => ok(out));
    socket.on("error", fail);
  });
}

describe("online backups over a local socket", () => {
  const base = mkdtempSync(join(tmpdir(), "matwise-backup-socket-"));
  const dataDir = join(base, "db");
  let handle: DbHandle;
  let listener: BackupListener | null;

  beforeAll(async () => {
    handle = await openPglite(dataDir, { noLock: true });
    await handle.pglite?.exec("create table kept (id int primary key); insert into kept values (1), (2), (3)");
    listener = await listenForBackups(handle, backupSocketPath(dataDir));
  });

  afterAll(async () => {
    await listener?.close();
    await handle.close();
    rmSync(base, { recursive: true, force: true });
  });

  it("listens on <data dir>.sock, readable and writable by its owner only", () => {
    expect(listener?.path).toBe(`${dataDir}.sock`);
    const st = statSync(`${dataDir}.sock`);
    expect(st.isSocket()).toBe(true);
    expect((st.mode & 0o777).toString(8)).toBe("600");
  });

  it("answers a snapshot that restores with the committed rows", async () => {
    const bytes = await requestSnapshot(backupSocketPath(dataDir));
    expect(bytes?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const restored = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(bytes ?? [])]) });
    try {
      expect((await restored.query<{ n: number }>("select count(*)::int as n from kept")).rows[0]?.n).toBe(3);
    } finally {
      await restored.close();
    }
  });

  it("refuses anything but a snapshot request", async () => {
    expect(await rawRequest(backupSocketPath(dataDir), '{"op":"restore"}\n')).toBe(
      '{"ok":false,"error":"unknown request (the only one is {\\"op\\":\\"snapshot\\"})"}\n',
    );
    expect(await rawRequest(backupSocketPath(dataDir), "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).toContain('"ok":false');
    expect(await rawRequest(backupSocketPath(dataDir), "x".repeat(2000))).toBe(
      '{"ok":false,"error":"request too long"}\n',
    );
  });

  it("finds no server where there is no socket, or only one left by a killed process, and replaces the stale one", async () => {
    expect(await requestSnapshot(join(base, "nothing.sock"))).toBeNull();
    const stale = join(base, "stale.sock");
    const child = spawn(
      process.execPath,
      ["-e", `require("node:net").createServer().listen(${JSON.stringify(stale)})`],
      { stdio: "ignore" },
    );
    await vi.waitFor(() => expect(existsSync(stale)).toBe(true), { timeout: 10_000 });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(existsSync(stale)).toBe(true);
    expect(await requestSnapshot(stale)).toBeNull();
    const again = await listenForBackups(handle, stale);
    try {
      expect((await requestSnapshot(stale))?.length).toBeGreaterThan(1000);
    } finally {
      await again?.close();
    }
  });

  it("closes without waiting for a client that has asked for nothing", async () => {
    const path = join(base, "idle.sock");
    const own = await listenForBackups(handle, path);
    const idle = createConnection(path);
    await new Promise((r) => idle.once("connect", r));
    const closed = new Promise((r) => idle.once("close", r));
    // The idle client never ends its side: close() must end it (a wait for the client would hang here).
    await own?.close();
    await closed;
    expect(idle.destroyed).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it("stays off, with a warning, when the path is too long for a Unix socket", async () => {
    const warnings: string[] = [];
    expect(await listenForBackups(handle, `/tmp/${"d".repeat(120)}.sock`, (m) => warnings.push(m))).toBeNull();
    expect(warnings[0]).toContain("online backups are off");
  });
});
