/**
 * Issue 25, item 1: the embedded database, its backups and a restored folder belong to the
 * server's user alone (folders 0700, files 0600), whatever the umask. Checked by mode and, when
 * the tests run as root (as on the project's machines), by reading as another user (`nobody`).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main";
import type { CliIo } from "../../cli/command";
import { backupsFolder, openPglite, snapshotPglite } from "./client";
import { openToOthers, privateTarModes } from "./private-files";

/** Whether `nobody` exists and we may act as it (root with runuser). */
const canSwitchUser = process.getuid?.() === 0 && spawnSync("runuser", ["-u", "nobody", "--", "true"]).status === 0;

/** Runs `cat path` as `nobody`; true when it could read the file. */
function nobodyReads(path: string): boolean {
  return spawnSync("runuser", ["-u", "nobody", "--", "cat", path], { stdio: "ignore" }).status === 0;
}

/** Runs `ls path` as `nobody`; true when it could list the folder. */
function nobodyLists(path: string): boolean {
  return spawnSync("runuser", ["-u", "nobody", "--", "ls", path], { stdio: "ignore" }).status === 0;
}

/** Modes recorded in a ustar tarball, one per entry. */
function tarModes(tar: Uint8Array): { name: string; mode: number }[] {
  const out: { name: string; mode: number }[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const text = (a: number, b: number) =>
      Buffer.from(h.subarray(a, b)).toString("latin1").replace(/\0.*$/s, "").trim();
    out.push({ name: text(0, 100), mode: Number.parseInt(text(100, 108), 8) });
    at += 512 + Math.ceil(Number.parseInt(text(124, 136) || "0", 8) / 512) * 512;
  }
  return out;
}

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (s: string) => void (io.out += s + "\n"),
    stderr: (s: string) => void (io.err += s + "\n"),
    readFile: () => Promise.reject(new Error("no files here")),
  };
  return io;
}

describe("the embedded database is private to the server's user", () => {
  // A project folder others may enter (0755), as a checkout usually is.
  const base = mkdtempSync(join(tmpdir(), "matwise-private-"));
  const dataDir = join(base, "data", "db");
  const savedUmask = process.umask();
  const savedDir = process.env.MATWISE_DATA_DIR;

  beforeAll(() => {
    chmodSync(base, 0o755);
    // The loosest umask: nothing must depend on it.
    process.umask(0);
  });
  afterEach(() => {
    process.umask(0);
  });
  afterAll(() => {
    process.umask(savedUmask);
    if (savedDir === undefined) delete process.env.MATWISE_DATA_DIR;
    else process.env.MATWISE_DATA_DIR = savedDir;
    rmSync(base, { recursive: true, force: true });
  });

  it("a new data folder and everything in it is 0700/0600, and another user can neither list nor read it", async () => {
    const handle = await openPglite(dataDir, { noLock: true });
    try {
      await handle.pglite?.exec("create table secret (v text); insert into secret values ('session-token')");
      expect(openToOthers(dataDir)).toEqual([]);
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe("700");
      if (canSwitchUser) {
        // The control: nobody reads a world-readable file here, so a refusal below is the mode's doing.
        writeFileSync(join(base, "control.txt"), "x", { mode: 0o644 });
        expect(nobodyReads(join(base, "control.txt"))).toBe(true);
        expect(nobodyLists(dataDir)).toBe(false);
        expect(nobodyReads(join(dataDir, "PG_VERSION"))).toBe(false);
        expect(nobodyReads(join(dataDir, "global", "pg_control"))).toBe(false);
      }
    } finally {
      await handle.close();
    }
    expect(openToOthers(dataDir)).toEqual([]);
  });

  it("a snapshot is 0600 in a 0700 backups folder, and the modes recorded inside it are 0600/0700", async () => {
    const handle = await openPglite(dataDir, { noLock: true });
    let file: string;
    try {
      file = await snapshotPglite(handle, join(backupsFolder(dataDir), "private-test.tar.gz"));
    } finally {
      await handle.close();
    }
    expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
    expect((statSync(backupsFolder(dataDir)).mode & 0o777).toString(8)).toBe("700");
    const modes = tarModes(gunzipSync(readFileSync(file)));
    expect(modes.length).toBeGreaterThan(100);
    expect(modes.filter((m) => m.mode !== 0o600 && m.mode !== 0o700)).toEqual([]);
    if (canSwitchUser) {
      chmodSync(backupsFolder(dataDir), 0o755); // even with the folder opened, the file itself is closed
      expect(nobodyReads(file)).toBe(false);
    }
  });

  it("start-up repairs a data folder and backups that others could read (as an older matwise left them)", async () => {
    const loosen = (dir: string) => {
      chmodSync(dir, 0o777);
      for (const name of readdirSync(dir, { recursive: true })) {
        const path = join(dir, String(name));
        chmodSync(path, statSync(path).isDirectory() ? 0o777 : 0o666);
      }
    };
    loosen(dataDir);
    loosen(backupsFolder(dataDir));
    expect(openToOthers(dataDir).length).toBeGreaterThan(100);
    const handle = await openPglite(dataDir, { noLock: true });
    try {
      expect(openToOthers(dataDir)).toEqual([]);
      expect(openToOthers(backupsFolder(dataDir))).toEqual([]);
      if (canSwitchUser) expect(nobodyReads(join(dataDir, "PG_VERSION"))).toBe(false);
    } finally {
      await handle.close();
    }
  });

  it("matwise restore restores a private folder, whatever the snapshot recorded", async () => {
    const file = join(backupsFolder(dataDir), "private-test.tar.gz");
    process.env.MATWISE_DATA_DIR = dataDir;
    const io = capture();
    expect(await main(["restore", file], io)).toBe(0);
    expect(io.err).toBe("");
    expect(openToOthers(dataDir)).toEqual([]);
    const kept = readdirSync(join(base, "data")).find((n) => n.startsWith("db.replaced-"));
    expect(kept).toBeDefined();
    expect(openToOthers(join(base, "data", kept ?? ""))).toEqual([]);
    if (canSwitchUser) expect(nobodyReads(join(dataDir, "PG_VERSION"))).toBe(false);
  });

  it("privateTarModes rewrites modes and keeps each header's checksum valid", () => {
    const header = new Uint8Array(1024);
    header.set(Buffer.from("a.txt"), 0);
    header.set(Buffer.from("0000666\0"), 100);
    header.set(Buffer.from("00000000000\0"), 124);
    header[156] = "0".charCodeAt(0);
    privateTarModes(header);
    expect(tarModes(header)).toEqual([{ name: "a.txt", mode: 0o600 }]);
    const stored = Number.parseInt(Buffer.from(header.subarray(148, 155)).toString("latin1"), 8);
    const sum = [...header.subarray(0, 512)].reduce((s, b, i) => s + (i >= 148 && i < 156 ? 0x20 : b), 0);
    expect(stored).toBe(sum);
  });
});
