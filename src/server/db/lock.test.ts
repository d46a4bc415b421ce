import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, lockHolder, lockPathFor } from "./lock";

const children: { kill(): boolean }[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});

function tempDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), "matwise-lock-")), "db");
}

describe("data directory lock", () => {
  it("names the running process that holds it, and nobody for a stale or missing lock", () => {
    const dir = tempDataDir();
    expect(lockHolder(dir)).toBeNull();
    const holder = spawn("sleep", ["30"]);
    children.push(holder);
    writeFileSync(lockPathFor(dir), `${holder.pid}\n`);
    expect(lockHolder(dir)).toBe(holder.pid);
    writeFileSync(lockPathFor(dir), "999999999\n");
    expect(lockHolder(dir)).toBeNull();
  });

  it("writes this process's pid and removes the file on release", () => {
    const dir = tempDataDir();
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockPathFor(dir), "utf8").trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockPathFor(dir))).toBe(false);
  });

  it("refuses a second holder, naming the folder and the pid that holds it", () => {
    const dir = tempDataDir();
    const holder = spawn("sleep", ["30"]);
    children.push(holder);
    writeFileSync(lockPathFor(dir), `${holder.pid}\n`);
    let caught: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DataDirLockedError);
    expect((caught as Error).message).toContain(dir);
    expect((caught as Error).message).toContain(`pid ${holder.pid}`);
  });

  it("refuses a second lock inside the same process too", () => {
    const dir = tempDataDir();
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
  });

  it("takes over a lock left by a process that has died", async () => {
    const dir = tempDataDir();
    const gone = spawn("true");
    await new Promise((ok) => gone.once("exit", ok));
    writeFileSync(lockPathFor(dir), `${gone.pid}\n`);
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lockPathFor(dir), "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });
});
