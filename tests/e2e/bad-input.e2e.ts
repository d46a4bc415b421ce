/**
 * No route answers bad input with a 500: every server-rendered route is sent odd queries and
 * odd bodies, signed in and not, and must answer with a clear 2xx, 3xx or 4xx.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAs, startServer, type RunningServer } from "./support";

const ROUTES = [
  "/",
  "/healthz",
  "/api/feedback",
  "/safety-check",
  "/safety-check/print",
  "/safety-check/remember",
  "/today",
  "/sessions/import",
  "/plan",
  "/plan/calendar.ics",
  "/timer",
  "/mats",
  "/mats/mine",
  "/sessions",
  "/sessions/new",
  "/sessions/00000000-0000-0000-0000-000000000000",
  "/sessions/not-an-id",
  "/account",
  "/account/sign-in",
  "/account/sign-up",
  "/account/sign-out",
  "/account/password",
  "/account/delete",
  "/account/forgot-password",
  "/account/reset-password",
  "/account/export.json",
  "/account/export.zip",
  "/account/safety-checks",
  "/account/safety-checks/not-an-id",
  "/evidence/studies/no-such-study",
  "/guides/no-such-guide",
];

const QUERIES = ["", "?mat=x&mat=y&mat=z&mat=w&mat=v&mass=-1&position=upside-down", "?minutes=999&seconds=-3&area=%00&layer=%E0%A4", "?token=%27%22%3C&next=//evil.example", "?skin=high&tolerance=zzz&area=back&level=unknown&date=2099-99-99"];

const BODIES: { type: string; body: string }[] = [
  { type: "application/x-www-form-urlencoded", body: "" },
  { type: "application/x-www-form-urlencoded", body: "intent=delete&id=1&intent=confirm&name=&email=%00&password=" + "x".repeat(5000) },
  { type: "application/x-www-form-urlencoded", body: "discomfort=11&painBefore=-1&startedAt=yesterday&matId=mine-nope&durationMinutes=abc" },
  { type: "application/x-www-form-urlencoded", body: "intent=keep&skin=high&level=fine&areasOff=wings&start=2026-02-30&timeZone=Mars%2FBase&next=https%3A%2F%2Fevil.example&sessions=%5B%7B%22id%22%3A1%7D%5D" },
  { type: "application/x-www-form-urlencoded", body: "intent=agree&timeZone=" + "A".repeat(300) + "&sessions=" + "[".repeat(5000) },
  { type: "multipart/form-data; boundary=broken", body: "--broken\r\nnot really multipart" },
  { type: "application/json", body: "{not json" },
  { type: "application/json", body: JSON.stringify({ path: "/", kind: "other", message: "y".repeat(10_000) }) },
  { type: "text/plain", body: "\u0000\u0001binary" },
];

describe("bad input never gets a 500", () => {
  let server: RunningServer;
  let cookie = "";
  beforeAll(async () => {
    server = await startServer();
    cookie = await signUpAs(server.url, `fuzz${randomBytes(3).toString("hex")}@example.com`);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ["a visitor", false],
    ["a signed-in person", true],
  ])("as %s", async (_who, signedIn) => {
    const failures: string[] = [];
    const headers = (extra: Record<string, string> = {}) => ({ origin: server.url, ...(signedIn ? { cookie } : {}), ...extra });
    for (const route of ROUTES) {
      for (const q of QUERIES) {
        const res = await fetch(`${server.url}${route}${q}`, { headers: headers(), redirect: "manual" });
        if (res.status >= 500) failures.push(`GET ${route}${q} → ${res.status}`);
        await res.arrayBuffer();
      }
      for (const { type, body } of BODIES) {
        // Never sign out or delete the fuzzing account itself by accident: those routes get the bodies as a visitor.
        const h = route === "/account/sign-out" || route === "/account/delete" ? { origin: server.url, "content-type": type } : headers({ "content-type": type });
        const res = await fetch(`${server.url}${route}`, { method: "POST", headers: h, body, redirect: "manual" });
        if (res.status >= 500) failures.push(`POST ${route} (${type}: ${body.slice(0, 40)}) → ${res.status}`);
        await res.arrayBuffer();
      }
    }
    expect(failures).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
