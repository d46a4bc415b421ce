import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { receiveUpload } from "./uploads";

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
    await expect(receiveUpload(new Request("http://localhost/x", { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }), limits)).rejects.toMatchObject({ issues: { "": [expect.stringMatching(/could not be read/)] } });
  });
});
