/**
 * Security hardening (issue 14), probed against the built server the way the original probe did:
 * each block is one finding, and each fails on the code before its fix.
 */
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import safetyData from "../../src/content/safety/safety-check.json";
import { postForm, signUpAs, startServer, type RunningServer } from "./support";

const PASSWORD = "a long enough passphrase";
/** A complete safety form answered "no" throughout. */
const SAFETY_ALL_NO: [string, string][] = safetyData.questions
  .filter((q) => !("askedIf" in q))
  .map((q) => [q.id, "no"]);
const tag = () => randomBytes(4).toString("hex");
const sha = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
const scriptSrc = (res: Response) =>
  (res.headers.get("content-security-policy") ?? "").split("; ").find((d) => d.startsWith("script-src")) ?? "";

/** A request through node:http (fetch refuses TRACE and always sets a length); `chunks` are sent without Content-Length. */
function rawRequest(
  url: string,
  method: string,
  chunks: Buffer[] = [],
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`${method} ${url} was not answered`)));
    let i = 0;
    const write = () => {
      while (i < chunks.length) if (!req.write(chunks[i++])) return void req.once("drain", write);
      req.end();
    };
    write();
  });
}

/** Bodies of the executable inline scripts of a page (what a browser checks against the policy). */
function inlineScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? "";
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    if (/\ssrc\s*=/i.test(attrs) || (type && type !== "module" && type !== "text/javascript")) continue;
    out.push(m[2] ?? "");
  }
  return out;
}

/** A sign-up form post with extra request headers. */
async function signUp(base: string, headers: Record<string, string> = {}) {
  const email = `s${tag()}@example.com`;
  const res = await fetch(`${base}/account/sign-up`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...headers },
    body: new URLSearchParams({ name: "S", email, password: PASSWORD, confirm: PASSWORD }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

describe("the client address comes from the socket (items 1 and 14)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("records the real address of a device, not one the client set", async () => {
    const res = await fetch(`${server.url}/account/sign-up`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: server.url,
        "x-matwise-client-ip": "6.6.6.6",
        "x-forwarded-for": "7.7.7.7",
      },
      body: new URLSearchParams({
        name: "D",
        email: `d${tag()}@example.com`,
        password: PASSWORD,
        confirm: PASSWORD,
      }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const data = (await (await fetch(`${server.url}/account/export.json`, { headers: { cookie } })).json()) as {
      devices: { ipAddress: string | null }[];
    };
    expect(data.devices.map((d) => d.ipAddress)).toEqual(["127.0.0.1"]);
  });

  it("keeps the per-address sign-up limit whatever X-Forwarded-For says", async () => {
    // Runs after the device test above, which used one sign-up of this address's ten.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await signUp(server.url));
    expect(statuses).toEqual([...Array<number>(9).fill(303), 429]);
    // A fresh address in a header is not a fresh bucket.
    expect(await signUp(server.url, { "x-forwarded-for": "10.9.0.1" })).toBe(429);
    expect(await signUp(server.url, { "x-forwarded-for": "10.9.0.2, 10.9.0.3" })).toBe(429);
    expect(await signUp(server.url, { "x-matwise-client-ip": "10.9.0.4" })).toBe(429);
  });
});

describe("behind a trusted proxy (MATWISE_TRUST_PROXY=1)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { MATWISE_TRUST_PROXY: "1" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("counts by the right-most hop, which the client cannot choose", async () => {
    const statuses: number[] = [];
    // The client writes a new left-most hop each time; the proxy appends the address it saw.
    for (let i = 0; i < 11; i++)
      statuses.push(await signUp(server.url, { "x-forwarded-for": `10.9.1.${i}, 203.0.113.5` }));
    expect(statuses.slice(0, 10).every((s) => s === 303)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another client behind the same proxy has its own bucket.
    expect(await signUp(server.url, { "x-forwarded-for": "203.0.113.6" })).toBe(303);
  });

  it("limits feedback per address (item 11)", async () => {
    const send = async (address: string) => {
      const res = await fetch(`${server.url}/api/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": address },
        body: JSON.stringify({ path: "/guides/", kind: "other", message: "one more report" }),
      });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() };
    };
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await send("203.0.113.50"));
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array<number>(20).fill(201));
    expect(answers[20]?.status).toBe(429);
    expect(Number(answers[20]?.retryAfter)).toBeGreaterThan(0);
    expect(answers[20]?.body).toContain("You can try again in");
    expect((await send("203.0.113.51")).status).toBe(201);
  });
});

describe("one server for the remaining findings", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("redirects go to same-site paths only (items 2 and 6)", () => {
    const email = `r${tag()}@example.com`;
    beforeAll(async () => {
      await signUpAs(server.url, email);
    });
    /** A form post that must be answered within 10 s (before the fix, `next=%2F%7F` never was). */
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: new URLSearchParams(fields).toString(),
        signal: AbortSignal.timeout(10_000),
      });

    it("answers sign-up with a control character in next= with a redirect to the account", async () => {
      const res = await post("/account/sign-up?next=%2F%7F", {
        name: "N",
        email: `n${tag()}@example.com`,
        password: PASSWORD,
        confirm: PASSWORD,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/account");
      expect(res.headers.getSetCookie().join(";")).toContain("session_token");
    });

    it.each([
      ["%2F%0A", "/account"],
      ["%2F%E2%9C%93", "/account"],
      ["/%09/evil.invalid/x", "/account"],
      ["//evil.example/x", "/account"],
      ["/%5Cevil.example", "/account"],
      ["%2Fsessions%3Fx%3D1", "/sessions?x=1"],
    ])("sign-in with next=%s goes to %s", async (next, expected) => {
      const res = await post(`/account/sign-in?next=${next}`, { email, password: PASSWORD });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(expected);
    });

    it("refuses feedback about a page on another host, and sends a form back to the page it was about", async () => {
      const evil = await post("/api/feedback", { path: "//evil.example/x", kind: "other", message: "hello there" });
      expect(evil.status).toBe(400);
      expect(evil.headers.get("location")).toBeNull();
      const ok = await post("/api/feedback", {
        path: "/guides/acupressure-mat-safety#dosage",
        kind: "other",
        message: "hello there",
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get("location")).toBe("/guides/acupressure-mat-safety?feedback=thanks");
    });
  });

  describe("the script policy is the build's, never the page's (item 3)", () => {
    it("does not allow a script that came in through the address", async () => {
      const res = await fetch(
        `${server.url}/account/reset-password?token=${encodeURIComponent("<script>alert(1)</script>")}`,
      );
      const html = await res.text();
      expect(html).toContain("alert(1)");
      expect(scriptSrc(res)).not.toContain(sha("alert(1)"));
    });

    it("does not allow a script that came in through a person's data", async () => {
      const cookie = await signUpAs(server.url, `m${tag()}@example.com`);
      const added = await postForm(
        server.url,
        "/mats/mine",
        { intent: "add", name: 'M"><script>alert(2)</script>' },
        cookie,
      );
      expect(added.status).toBe(303);
      const res = await fetch(`${server.url}/mats/mine`, { headers: { cookie } });
      expect(await res.text()).toContain("alert(2)");
      expect(scriptSrc(res)).not.toContain(sha("alert(2)"));
    });

    it.each([
      // path, has inline scripts (an island loader, a component script)?
      ["/timer", false], // a visitor without a safety result meets the gate, drawn by the server, not the island
      ["/mats", true],
      ["/safety-check", true],
      ["/guides/", true],
      ["/", false],
      ["/account/sign-in", false],
    ])("allows every inline script of %s (has some: %s)", async (path, hasScripts) => {
      const res = await fetch(`${server.url}${path}`);
      const policy = scriptSrc(res);
      expect(policy).not.toContain("unsafe-inline");
      const scripts = inlineScripts(await res.text());
      expect(scripts.length > 0).toBe(hasScripts);
      for (const body of scripts) expect(policy, body.slice(0, 60)).toContain(sha(body));
    });
  });

  describe("personal answers are never cached (item 4)", () => {
    it("sends private, no-store on every personal page of a signed-in person and on a safety-check result", async () => {
      const cookie = await signUpAs(server.url, `c${tag()}@example.com`);
      const saved = await postForm(server.url, "/account/safety-checks", SAFETY_ALL_NO, cookie);
      expect(saved.status).toBe(303);
      const checkPath = (saved.location ?? "").split("?")[0] ?? "";
      const paths = [
        "/account",
        "/account/safety-checks",
        checkPath,
        "/account/password",
        "/account/delete",
        "/account/export.json",
        "/account/export.zip",
        "/sessions",
        "/sessions/new",
        "/mats/mine",
        "/mats",
        "/plan",
        "/timer",
        "/",
      ];
      const policies: Record<string, string | null> = {};
      for (const path of paths) {
        const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        // "/" comes from memory and is the same for everybody; it may be revalidated, never shared with a session's data.
        if (path !== "/") policies[path] = res.headers.get("cache-control");
      }
      expect(Object.entries(policies).filter(([, v]) => v !== "private, no-store")).toEqual([]);
      // A visitor's safety-check result holds health answers.
      const result = await fetch(`${server.url}/safety-check`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: new URLSearchParams(SAFETY_ALL_NO).toString(),
      });
      expect(result.status).toBe(200);
      expect(await result.text()).toContain("Your safety check result");
      expect(result.headers.get("cache-control")).toBe("private, no-store");
    });

    it("never stores a redirect to sign-in either", async () => {
      const res = await fetch(`${server.url}/account/safety-checks`, { redirect: "manual" });
      expect(res.status).toBe(303);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
    });
  });

  describe("the web server refuses what Astro should never see (items 5, 13 and 15)", () => {
    it("refuses a large form post with 413 and a clear message, and stays healthy", async () => {
      const res = await fetch(`${server.url}/account/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: `email=a%40example.com&password=${"x".repeat(20 * 1024 * 1024)}`,
      });
      expect(res.status).toBe(413);
      expect(await res.text()).toContain("at most 64 KB");
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it("refuses a chunked body without Content-Length once it passes the limit", async () => {
      const chunks = Array.from({ length: 64 }, () => Buffer.alloc(32 * 1024, "x"));
      const res = await rawRequest(`${server.url}/api/feedback`, "POST", chunks, {
        "content-type": "application/json",
        origin: server.url,
      });
      expect(res.status).toBe(413);
      // Under the limit, the same route reads the body as usual.
      const ok = await rawRequest(
        `${server.url}/api/feedback`,
        "POST",
        [Buffer.from(JSON.stringify({ path: "/", kind: "other", message: "chunked but small" }))],
        { "content-type": "application/json", origin: server.url },
      );
      expect(ok.status).toBe(201);
    });

    it.each(["/account", "/safety-check", "/guides/", "/api/feedback"])(
      "answers TRACE to %s with 405 and Allow",
      async (path) => {
        const res = await rawRequest(`${server.url}${path}`, "TRACE");
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe("GET, HEAD, POST");
        expect(res.text).not.toContain(" at ");
      },
    );

    it("sends Strict-Transport-Security in production", async () => {
      for (const path of ["/", "/account/sign-in", "/healthz"]) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.headers.get("strict-transport-security"), path).toBe("max-age=31536000; includeSubDomains");
      }
    });
  });

  describe("control characters in text are refused with a message, never a 500 (item 8)", () => {
    const session = {
      startedAt: "2026-01-10T08:00",
      minutes: "10",
      seconds: "0",
      position: "lying",
      area: "back",
      layer: "clothing",
      matId: "",
      note: "",
      discomfort: "5",
      painBefore: "4",
      painAfter: "3",
      tensionBefore: "5",
      tensionAfter: "4",
      stressBefore: "5",
      stressAfter: "4",
      relaxationBefore: "4",
      relaxationAfter: "6",
    };
    let cookie = "";
    beforeAll(async () => {
      cookie = await signUpAs(server.url, `t${tag()}@example.com`);
    });

    it.each([
      ["a session note", "/sessions/new", { ...session, note: "fine\u0000" }],
      ["a mat name", "/mats/mine", { intent: "add", name: "Blue\u0000mat" }],
      ["a mat note", "/mats/mine", { intent: "add", name: "Blue mat", note: "soft\u0000" }],
      ["a feedback message", "/api/feedback", { path: "/", kind: "other", message: "typo\u0000here" }],
    ])("%s with a NUL byte", async (_what, path, fields) => {
      const res = await postForm(server.url, path, fields, cookie);
      expect(res.status).toBe(400);
      expect(res.text).toContain("control character");
    });

    it("an account name with a NUL byte", async () => {
      const res = await postForm(server.url, "/account/sign-up", {
        name: "Ann\u0000",
        email: `t${tag()}@example.com`,
        password: PASSWORD,
        confirm: PASSWORD,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain("control characters");
    });
  });

  describe("field names that are Object.prototype keys are plain fields (item 9)", () => {
    const PROTO: [string, string][] = ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"].flatMap(
      (k): [string, string][] => [
        [k, "x"],
        [k, "y"],
      ],
    );

    it("gives a safety check the same result with them as without", async () => {
      const plain = await postForm(server.url, "/safety-check", SAFETY_ALL_NO);
      const odd = await postForm(server.url, "/safety-check", [...SAFETY_ALL_NO, ...PROTO]);
      expect(plain.status).toBe(200);
      expect(odd.status).toBe(200);
      // The result part of the page, without what differs from one request to the next (island ids, times).
      const result = (html: string) =>
        (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "").replace(/uid="[^"]*"|\d{4}-\d\d-\d\dT[\d:.]+Z/g, "");
      expect(result(plain.text)).toContain("Fine to try");
      expect(result(odd.text) === result(plain.text), "the result changed").toBe(true);
    });

    it("signs in with them as without", async () => {
      const email = `p${tag()}@example.com`;
      await signUpAs(server.url, email);
      const res = await postForm(server.url, "/account/sign-in", [["email", email], ["password", PASSWORD], ...PROTO]);
      expect(res.status).toBe(303);
      expect(res.location).toBe("/account");
    });
  });

  describe("the cross-site check compares the whole origin (item 16)", () => {
    it.each([
      // which Origin, made from the server's own, refused?
      ["the site's own: accepted", (u: string) => u, false],
      ["same host and port over https: refused", (u: string) => u.replace("http://", "https://"), true],
      ["same host, another port: refused", (u: string) => u.replace(/:\d+$/, ":1"), true],
      ["another host: refused", () => "http://evil.example", true],
    ])("Origin %s", async (_what, origin, refused) => {
      const res = await fetch(`${server.url}/api/feedback`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: origin(server.url) },
        body: new URLSearchParams({ path: "/", kind: "other", message: "origin check" }).toString(),
      });
      expect(res.status === 403).toBe(refused);
    });
  });

  describe("the per-account limit says when it ends, and never blocks signing out (item 17)", () => {
    it("locks password changes after eight wrong passwords with the time it ends, while sign-out still works", async () => {
      const cookie = await signUpAs(server.url, `l${tag()}@example.com`);
      const wrong = () =>
        postForm(
          server.url,
          "/account/password",
          {
            currentPassword: "not my password",
            newPassword: "another long passphrase",
            confirm: "another long passphrase",
          },
          cookie,
        );
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await wrong()).status);
      expect(statuses).toEqual(Array<number>(8).fill(400));
      const locked = await wrong();
      expect(locked.status).toBe(429);
      expect(locked.text).toMatch(/You can try again in 1[45] minutes, after \d\d:\d\d UTC\./);
      const deletion = await postForm(
        server.url,
        "/account/delete",
        { password: "not my password", confirm: "delete" },
        cookie,
      );
      expect(deletion.status).toBe(429);

      const out = await postForm(server.url, "/account/sign-out", {}, cookie);
      expect(out.status).toBe(303);
      expect(out.location).toBe("/account/sign-in?signed-out=1");
      expect((await fetch(`${server.url}/account`, { headers: { cookie }, redirect: "manual" })).status).toBe(303);
    });
  });

  describe("common and blank passwords are refused (item 12)", () => {
    it.each(["password12", "1234567890", "          "])("refuses %j on sign-up, with a message", async (password) => {
      const res = await postForm(server.url, "/account/sign-up", {
        name: "W",
        email: `w${tag()}@example.com`,
        password,
        confirm: password,
      });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/most common passwords|only spaces/);
      expect(res.cookies).toBe("");
    });
  });
});
