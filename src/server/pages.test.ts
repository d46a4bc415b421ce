import { describe, expect, it, vi } from "vitest";
import type { CurrentSession } from "./auth/session";
import type { Db } from "./db/client";
import type { FormFailure } from "./forms";
import { NotFoundError } from "../core/errors";
import { orNotFound, signedInPage, type PageDeps, type SignedInCtx } from "./pages";

const db = { fake: "db" } as unknown as Db;
const current = { user: { id: "u1" }, session: { id: "s1" } } as unknown as CurrentSession;
const signedIn: PageDeps = { session: () => Promise.resolve(current), db: () => Promise.resolve(db) };
const refusal: FormFailure = { status: 400, errors: { name: ["Give a name."] }, values: { name: "" } };

function page(method: "GET" | "POST"): SignedInCtx {
  return {
    request: new Request("http://localhost/x", { method }),
    url: new URL("http://localhost/x"),
    redirect: (path: string, status?: number) =>
      new Response(null, { status: status ?? 302, headers: { location: path } }),
    clientAddress: "127.0.0.1",
    response: {},
  };
}

describe("signedInPage", () => {
  it("answers with the sign-in redirect and runs no action when nobody is signed in", async () => {
    const away = new Response(null, { status: 303, headers: { location: "/account/sign-in?next=%2Fx" } });
    const action = vi.fn();
    const out = await signedInPage(page("POST"), action, { ...signedIn, session: () => Promise.resolve(away) });
    expect(out).toBe(away);
    expect(action).not.toHaveBeenCalled();
  });

  it("runs no action on a GET and hands the page its database and person", async () => {
    const action = vi.fn();
    expect(await signedInPage(page("GET"), action, signedIn)).toEqual({ db, current, failure: null });
    expect(action).not.toHaveBeenCalled();
  });

  it("passes the database, the request and the person to the action, and returns its redirect", async () => {
    const done = new Response(null, { status: 303, headers: { location: "/done" } });
    const ctx = page("POST");
    const action = vi.fn(() => Promise.resolve(done));
    expect(await signedInPage(ctx, action, signedIn)).toBe(done);
    expect(action).toHaveBeenCalledWith(db, ctx, current);
  });

  it("returns a refused form with the page's status set from it", async () => {
    const ctx = page("POST");
    const out = await signedInPage(ctx, () => Promise.resolve(refusal), signedIn);
    expect(out).toEqual({ db, current, failure: refusal });
    expect(ctx.response.status).toBe(400);
  });
});

describe("orNotFound", () => {
  it("passes on what the loader found and leaves the status alone", async () => {
    const ctx = page("GET");
    expect(await orNotFound(ctx, Promise.resolve({ id: "s1" }))).toEqual({ id: "s1" });
    expect(ctx.response.status).toBeUndefined();
  });

  it("turns a NotFoundError into null and a 404, for the page to say what is missing", async () => {
    const ctx = page("GET");
    expect(await orNotFound(ctx, Promise.reject(new NotFoundError("No such session.")))).toBeNull();
    expect(ctx.response.status).toBe(404);
  });

  it("lets any other error through", async () => {
    const ctx = page("GET");
    await expect(orNotFound(ctx, Promise.reject(new Error("disk on fire")))).rejects.toThrow("disk on fire");
    expect(ctx.response.status).toBeUndefined();
  });
});
