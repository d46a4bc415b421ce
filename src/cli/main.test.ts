import { describe, expect, it } from "vitest";
import type { CliIo } from "./command";
import { main } from "./main";

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

describe("matwise CLI dispatch", () => {
  it.each([
    // argv, exit code, where the usage goes
    [[], 2, "err"],
    [["--help"], 0, "out"],
    [["nonsense"], 2, "err"],
    [["serve", "--nope"], 2, "err"],
    [["backup", "--out"], 2, "err"],
    [["restore"], 2, "err"],
    [["restore", "a", "b"], 2, "err"],
    [["migrate", "extra"], 2, "err"],
  ] as const)("%j exits %i", async (argv, code, stream) => {
    const io = capture();
    expect(await main([...argv], io)).toBe(code);
    expect(io[stream]).toContain("Usage: matwise");
  });

  it.each(["serve", "migrate", "backup", "restore"])("%s --help prints its usage and exits 0", async (cmd) => {
    const io = capture();
    expect(await main([cmd, "--help"], io)).toBe(0);
    expect(io.out).toContain(`Usage: matwise ${cmd}`);
    expect(io.err).toBe("");
  });
});
