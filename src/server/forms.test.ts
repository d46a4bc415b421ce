import { describe, expect, it } from "vitest";
import { NotFoundError, RateLimitedError, ValidationError } from "../core/errors";
import { field, formAction, formToObject, readForm, toFormFailure, type FormCtx } from "./forms";

const post = (body: string, type = "application/x-www-form-urlencoded") =>
  new Request("http://x/form", { method: "POST", headers: { "content-type": type }, body });
const ctx = (request: Request): FormCtx => ({
  request,
  url: new URL(request.url),
  redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
});

describe("formToObject", () => {
  it("keeps repeated names as arrays and has no prototype", () => {
    const form = new FormData();
    form.append("a", "1");
    form.append("a", "2");
    form.append("__proto__", "x");
    form.append("constructor", "y");
    const raw = formToObject(form);
    expect(Object.getPrototypeOf(raw)).toBeNull();
    expect(raw["a"]).toEqual(["1", "2"]);
    expect(field(raw, "__proto__")).toBe("x");
    expect(field(raw, "constructor")).toBe("y");
    expect(field(raw, "toString")).toBe("");
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined(); // nothing leaked onto Object.prototype
  });
});

describe("readForm", () => {
  it("reads a urlencoded body", async () => {
    expect(field(await readForm(post("name=Ann&x=1")), "name")).toBe("Ann");
  });
  it("turns an unreadable body into a message about the whole form", async () => {
    await expect(readForm(post("{not a form", "multipart/form-data; boundary=zzz"))).rejects.toMatchObject({
      issues: { "": [expect.stringContaining("could not be read")] },
    });
  });
});

describe("toFormFailure", () => {
  it.each([
    // error, status, message
    [new ValidationError("x", { name: ["Give a name."] }), 400, "Please correct the fields marked below."],
    [new ValidationError("", { "": ["Whole-form problem."] }), 400, undefined],
    [new RateLimitedError("Too many attempts.", 60), 429, "Too many attempts."],
    [new NotFoundError("No such mat."), 404, "No such mat."],
  ])("%s → %i", (err, status, message) => {
    const f = toFormFailure(err, { name: "Ann" });
    expect(f.status).toBe(status);
    expect(f.message).toBe(message);
    expect(f.values).toEqual({ name: "Ann" });
  });
  it("rethrows anything unexpected (it becomes a 500 and is logged)", () => {
    expect(() => toFormFailure(new TypeError("bug"), {})).toThrow(TypeError);
  });
});

describe("formAction", () => {
  it("answers with the body's response, or the failure with the kept values (never others)", async () => {
    const ok = await formAction(ctx(post("name=Ann")), {}, () => Promise.resolve(new Response("done")));
    expect(ok).toBeInstanceOf(Response);
    const failed = await formAction(ctx(post("name=Ann&password=secret")), { keep: ["name"] }, () =>
      Promise.reject(new ValidationError("", { name: ["Too short."] })),
    );
    expect(failed).toMatchObject({ status: 400, errors: { name: ["Too short."] }, values: { name: "Ann" } });
    expect(JSON.stringify(failed)).not.toContain("secret");
  });
});

describe("formAction with a file and a body limit", () => {
  const limit = { bytes: 1000, field: "file", message: "Too large." };
  const upload = (content: string, extra: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(extra)) form.append(k, v);
    form.append("file", new File([content], "days.csv", { type: "text/csv" }));
    form.append("empty", new File([], ""));
    return new Request("http://x/form", { method: "POST", body: form });
  };
  it("hands the body the fields and the chosen files (an input left empty is no file)", async () => {
    let seen: { name: string; text: string; fields: string; empty: boolean } | null = null;
    const ok = await formAction(ctx(upload("a,b\n", { outcome: "pain" })), { limit }, async (raw, files) => {
      seen = {
        name: files["file"]!.name,
        text: await files["file"]!.text(),
        fields: field(raw, "outcome"),
        empty: "empty" in files,
      };
      return new Response("done");
    });
    expect(ok).toBeInstanceOf(Response);
    expect(seen).toEqual({ name: "days.csv", text: "a,b\n", fields: "pain", empty: false });
  });
  it("refuses a body over the limit by its declared length, without reading it", async () => {
    const request = upload("x".repeat(2000));
    const declared = new Request(request.url, {
      method: "POST",
      headers: { "content-type": request.headers.get("content-type")!, "content-length": "5000" },
      body: await request.arrayBuffer(),
    });
    let ran = false;
    const failed = await formAction(
      ctx(declared),
      { limit },
      () => ((ran = true), Promise.resolve(new Response("done"))),
    );
    expect(failed).toMatchObject({ status: 400, errors: { file: ["Too large."] } });
    expect(ran).toBe(false);
  });
  it("refuses a body over the limit as it arrives when no length is declared", async () => {
    const request = upload("x".repeat(2000));
    const bytes = new Uint8Array(await request.arrayBuffer());
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 100) controller.enqueue(bytes.slice(i, i + 100));
        controller.close();
      },
    });
    const chunked = new Request(request.url, {
      method: "POST",
      headers: { "content-type": request.headers.get("content-type")! },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const failed = await formAction(ctx(chunked), { limit }, () => Promise.resolve(new Response("done")));
    expect(failed).toMatchObject({ status: 400, errors: { file: ["Too large."] } });
  });
});

describe("the one free-text rule (issue 25)", () => {
  const post = (fields: Record<string, string>) =>
    new Request("http://localhost/x", {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });

  it.each([
    ["title", "Study\u0000title"],
    ["contact", "a\u001b[31mred"],
    ["anything", "bell\u0007"],
    ["note", "c1\u0085"],
  ])("refuses a control character in the field %s before the action runs", async (name, value) => {
    let ran = false;
    const failed = await formAction(
      ctx(post({ [name]: value, other: "fine" })),
      { keep: [name] },
      () => ((ran = true), Promise.resolve(new Response("done"))),
    );
    expect(failed).toMatchObject({ status: 400, errors: { [name]: [expect.stringMatching(/control character/)] } });
    expect(ran).toBe(false);
  });

  it("lets tabs and line breaks through to the action (one-line fields refuse them in their own schema), and passwords as they are", async () => {
    let seen: Record<string, unknown> = {};
    await formAction(
      ctx(post({ note: "line 1\r\nline 2\tend", password: "pass\u0001word" })),
      {},
      (raw) => ((seen = { ...raw }), Promise.resolve(new Response("done"))),
    );
    expect(seen).toEqual({ note: "line 1\r\nline 2\tend", password: "pass\u0001word" });
  });
});
