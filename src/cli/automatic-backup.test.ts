import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { backupsFolder, openPglite } from "../server/db/client";
import { automaticBackupDue, finishAutomaticBackup, KEEP_AUTOMATIC, pruneAutomaticBackups } from "./automatic-backup";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2026-12-07T12:00:00Z");
const bases: string[] = [];

/** A data folder that looks like a database (PG_VERSION) with automatic snapshots of the given ages in days. */
function folderWith(ages: number[], database = true): string {
  const base = mkdtempSync(join(tmpdir(), "matwise-auto-backup-"));
  bases.push(base);
  const dataDir = join(base, "db");
  mkdirSync(dataDir);
  if (database) writeFileSync(join(dataDir, "PG_VERSION"), "17\n");
  mkdirSync(backupsFolder(dataDir));
  ages.forEach((days, i) => {
    const file = join(backupsFolder(dataDir), `auto-${i}.tar.gz`);
    writeFileSync(file, "x");
    const t = (NOW - days * DAY_MS) / 1000;
    utimesSync(file, t, t);
  });
  return dataDir;
}

afterAll(() => {
  for (const b of bases) rmSync(b, { recursive: true, force: true });
});

describe("the daily automatic snapshot", () => {
  it.each([
    ["a folder without a database yet (a first start)", [], false, false],
    ["a database with no automatic snapshot", [], true, true],
    ["a snapshot from an hour ago", [1 / 24], true, false],
    ["the newest snapshot a day and a minute old", [1 + 1 / 1440, 3], true, true],
    ["an old one beside a recent one", [5, 0.5], true, false],
  ])("is due for %s: %s", (_what, ages, database, due) => {
    const dataDir = folderWith(ages, database);
    const file = automaticBackupDue(dataDir, NOW);
    if (!due) return expect(file).toBeNull();
    expect(file).toBe(join(backupsFolder(dataDir), "auto-2026-12-07T12-00-00-000Z.tar.gz"));
  });

  it(`keeps the newest ${KEEP_AUTOMATIC} and leaves other backups alone`, () => {
    const dataDir = folderWith([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    writeFileSync(join(backupsFolder(dataDir), "matwise-manual.tar.gz"), "x");
    pruneAutomaticBackups(dataDir);
    expect(readdirSync(backupsFolder(dataDir)).sort()).toEqual([
      "auto-0.tar.gz",
      "auto-1.tar.gz",
      "auto-2.tar.gz",
      "auto-3.tar.gz",
      "auto-4.tar.gz",
      "auto-5.tar.gz",
      "auto-6.tar.gz",
      "matwise-manual.tar.gz",
    ]);
  });

  it("is taken in this process when the child could not take it, as a private, restorable tarball", async () => {
    const base = mkdtempSync(join(tmpdir(), "matwise-auto-backup-"));
    bases.push(base);
    const handle = await openPglite(join(base, "db"), { noLock: true });
    try {
      const file = join(backupsFolder(handle.dataDir!), "auto-2026-12-07T12-00-00-000Z.tar.gz");
      await finishAutomaticBackup(handle, { kind: "failed", file, reason: "no such file" });
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const tar = gunzipSync(readFileSync(file));
      expect(tar.toString("latin1")).toContain("PG_VERSION");
    } finally {
      await handle.close();
    }
  });

  it("does nothing when none was due or the child wrote it", async () => {
    const base = mkdtempSync(join(tmpdir(), "matwise-auto-backup-"));
    bases.push(base);
    const handle = await openPglite(join(base, "db"), { noLock: true });
    try {
      await finishAutomaticBackup(handle, { kind: "not-due" });
      await finishAutomaticBackup(handle, { kind: "written", file: join(base, "elsewhere.tar.gz") });
      expect(existsSync(backupsFolder(handle.dataDir!)) ? readdirSync(backupsFolder(handle.dataDir!)) : []).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
