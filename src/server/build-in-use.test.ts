import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildRefusal, markServing, servingDir, servingProcesses } from "./build-in-use";

const roots: string[] = [];
function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "matwise-serving-"));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("a build refuses to empty dist/ while a server runs from it", () => {
  it("allows a build when no server has ever run", () => {
    expect(buildRefusal(freshRoot())).toBeNull();
  });

  it("names the live server that serves the build", () => {
    const root = freshRoot();
    markServing(root);
    expect(servingProcesses(root)).toEqual([process.pid]);
    expect(buildRefusal(root)).toMatch(new RegExp(`process ${process.pid}\\) is running from dist/`));
  });

  it("removes the marker of a server that was killed, and then allows the build", async () => {
    const root = freshRoot();
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const pid = child.pid!;
    markServing(root, pid);
    expect(servingProcesses(root)).toEqual([pid]);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(buildRefusal(root)).toBeNull();
    expect(readdirSync(servingDir(root))).toEqual([]);
  });

  it("ignores and removes files that are not process ids", () => {
    const root = freshRoot();
    mkdirSync(servingDir(root), { recursive: true });
    writeFileSync(join(servingDir(root), "notes.txt"), "x");
    expect(servingProcesses(root)).toEqual([]);
    expect(existsSync(join(servingDir(root), "notes.txt"))).toBe(false);
  });
});
