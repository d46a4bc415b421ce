import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { receiveUpload, removeLeftoverUploads } from "./uploads";

const limits = { maxBytes: 1000, tooLarge: "too big", field: "file" };
const post = (form: FormData) => new Request("http://localhost/account/import", { method: "POST", body: form });

describe("receiveUpload", () => {
  it("streams the file to a temporary file and keeps the text fields, without a prototype", async () => {
    const form = new FormData();
    form.append("__proto__", "x");
    form.append("file", new File(["a".repeat(1000)], "night.csv"));
    const upload = await receiveUpload(post(form), limits);
    expect(upload.file).toMatchObject({ name: "night.csv", bytes: 1000 });
    expect(readFileSync(upload.file!.path, "utf8")).toBe("a".repeat(1000));
    expect(Object.getPrototypeOf(upload.fields)).toBeNull();
    expect(upload.fields["__proto__"]).toBe("x");
    await upload.discard();
    expect(existsSync(upload.file!.path)).toBe(false);
  });

  it("refuses a file over the limit and leaves nothing on disk", async () => {
    const form = new FormData();
    form.append("file", new File(["a".repeat(1001)], "big.csv"));
    await expect(receiveUpload(post(form), limits)).rejects.toMatchObject({ issues: { file: ["too big"] } });
  });

  it("refuses a body that is not a multipart form", async () => {
    await expect(
      receiveUpload(
        new Request("http://localhost/x", {
          method: "POST",
          body: "a=1",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        limits,
      ),
    ).rejects.toMatchObject({ issues: { "": [expect.stringMatching(/could not be read/)] } });
  });
});

describe("removeLeftoverUploads (issue 25: an upload of a killed process never stays on disk)", () => {
  it("removes the folders of processes that are gone and old unnamed ones, and keeps those of running processes", async () => {
    const saved = process.env.TMPDIR;
    const tmp = mkdtempSync(join(tmpdir(), "matwise-leftovers-"));
    process.env.TMPDIR = tmp;
    try {
      const gone = spawnSync("true").pid;
      const folder = (name: string) => {
        mkdirSync(join(tmp, name));
        return name;
      };
      folder(`matwise-upload-p${gone}-AbC123`);
      folder(`matwise-upload-p${process.ppid}-AbC123`); // a running process (our parent): its upload may be in flight
      folder("matwise-upload-OldOne"); // the form before pids, from an earlier version, hours old
      utimesSync(
        join(tmp, "matwise-upload-OldOne"),
        new Date(Date.now() - 3 * 3600_000),
        new Date(Date.now() - 3 * 3600_000),
      );
      folder("matwise-upload-NewOne"); // the same form but fresh: perhaps an older server still running
      folder("something-else");
      // An upload of this process in flight is never touched.
      const form = new FormData();
      form.append("file", new File(["a"], "night.csv"));
      const upload = await receiveUpload(post(form), limits);
      expect(await removeLeftoverUploads()).toBe(2);
      expect(readdirSync(tmp).sort()).toEqual(
        [
          "matwise-upload-NewOne",
          `matwise-upload-p${process.ppid}-AbC123`,
          readdirSync(tmp).find((n) => n.startsWith(`matwise-upload-p${process.pid}-`)),
          "something-else",
        ].sort(),
      );
      expect(existsSync(upload.file!.path)).toBe(true);
      await upload.discard();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
