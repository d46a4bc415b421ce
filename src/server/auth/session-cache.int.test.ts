/**
 * The session cache (decision 095) never outlives what ends a session in this process: right
 * after sign-out, sign-out everywhere or a password change that signs the other devices out,
 * the next lookup of an ended session finds nobody, though its cached copy was fresh. And a
 * lookup within the cache's time costs no round trip.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { setProcessDatabase } from "../db/client";
import { countRoundTrips } from "../db/round-trips";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure } from "../forms";
import { changePassword, signOut } from "./actions";
import { getCurrentSession } from "./session";

const AUTH_KEY = Symbol.for("matwise.auth");
const DB_KEY = Symbol.for("matwise.db");
const PASSWORD = "correct horse battery";

describeEachDatabase("session cache", (t) => {
  beforeAll(() => {
    delete (globalThis as Record<symbol, unknown>)[AUTH_KEY];
    setProcessDatabase(t.handle);
  });
  afterAll(() => {
    delete (globalThis as Record<symbol, unknown>)[AUTH_KEY];
    delete (globalThis as Record<symbol, unknown>)[DB_KEY];
  });

  const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const asking = (cookie: string, path = "/today", init: RequestInit = {}) =>
    new Request(`http://localhost${path}`, {
      ...init,
      headers: { cookie, origin: "http://localhost", ...(init.headers as Record<string, string> | undefined) },
    });
  const ctx = (request: Request) => ({
    request,
    url: new URL(request.url),
    clientAddress: "127.0.0.1",
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  });

  /** A person signed in on `devices` devices: one cookie each, every session already in the cache. */
  async function signedIn(email: string, devices: number): Promise<string[]> {
    const { getAuth } = await import("./auth");
    const { auth } = await getAuth();
    await auth.api.signUpEmail({ body: { name: "Cached", email, password: PASSWORD } });
    const cookies: string[] = [];
    for (let i = 0; i < devices; i++)
      cookies.push(cookieOf(await auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true })));
    for (const c of cookies) expect(await getCurrentSession(asking(c))).not.toBeNull();
    return cookies;
  }

  it("answers a second lookup within a few seconds without a round trip", async () => {
    const [cookie] = await signedIn(`again-${t.handle.kind}@example.com`, 1);
    const again = await countRoundTrips(() => getCurrentSession(asking(cookie!)));
    expect(again.result?.user.email).toBe(`again-${t.handle.kind}@example.com`);
    expect(again.roundTrips).toBe(0);
  });

  it("forgets a session as soon as it is signed out", async () => {
    const [here, there] = await signedIn(`out-${t.handle.kind}@example.com`, 2);
    await signOut(ctx(asking(here!, "/account/sign-out", { method: "POST" })), false);
    expect(await getCurrentSession(asking(here!))).toBeNull();
    expect(await getCurrentSession(asking(there!))).not.toBeNull();
  });

  it("forgets every session of the person after sign out everywhere", async () => {
    const [here, there] = await signedIn(`everywhere-${t.handle.kind}@example.com`, 2);
    await signOut(ctx(asking(here!, "/account/sign-out?everywhere=1", { method: "POST" })), true);
    expect(await getCurrentSession(asking(there!))).toBeNull();
    expect(await getCurrentSession(asking(here!))).toBeNull();
  });

  it("forgets the other devices' sessions after a password change that signs them out", async () => {
    const [here, there] = await signedIn(`password-${t.handle.kind}@example.com`, 2);
    const body = new URLSearchParams({
      currentPassword: PASSWORD,
      newPassword: "another long passphrase",
      confirm: "another long passphrase",
      signOutOthers: "on",
    });
    const result = await changePassword(
      t.db,
      ctx(
        asking(here!, "/account/password", {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      ),
    );
    expect(isFormFailure(result)).toBe(false);
    expect(await getCurrentSession(asking(there!))).toBeNull();
  });
});
