/**
 * No route answers bad input with a 500. Every route under src/pages is sent generated requests
 * (fast-check): odd methods, queries and path segments full of control characters and
 * prototype keys, bodies that are huge, deeply nested, binary or of the wrong content type;
 * as a visitor and signed in. Every answer must be a 2xx, 3xx or 4xx, and the server must still
 * be healthy afterwards.
 *
 * Then the shapes of issue 25, each answered in words and leaving the server healthy: imports
 * with huge JSON arrays, an Apple Health export with a long attribute, a body sent a byte at a
 * time, and more connections from one address than it may hold.
 *
 * Bounded: NUM_RUNS requests per route and person, from a fixed seed (set MATWISE_FUZZ_SEED to
 * explore others; a failure prints the seed and the shrunk request to replay).
 */
import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createConnection, type Socket } from "node:net";
import { join, relative, sep } from "node:path";
import fc from "fast-check";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, signUpAs, startServer, type RunningServer } from "./support";

const NUM_RUNS = 30;
const SEED = Number(process.env.MATWISE_FUZZ_SEED ?? 14);

// ---------------------------------------------------------------------------------------------
// Every route, read from src/pages: `[param]` segments are filled by the generator.
// ---------------------------------------------------------------------------------------------

/** URL templates of src/pages, e.g. "/sessions/[id]", "/account/export.json". */
function pageRoutes(): string[] {
  const dir = join(ROOT, "src/pages");
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(astro|ts)$/.test(name) && !name.startsWith("_") && !name.endsWith(".test.ts")) {
        const route = `/${relative(dir, p).split(sep).join("/")}`
          .replace(/\.(astro|ts)$/, "")
          .replace(/(^|\/)index$/, "$1");
        out.push(route === "" ? "/" : route);
      }
    }
  };
  walk(dir);
  return out.sort();
}

const ROUTES = pageRoutes();
/** Routes a signed-in fuzzer must not hit with its own cookie (it would sign itself out or delete itself). */
const VISITOR_ONLY = new Set(["/account/sign-out", "/account/delete"]);

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
];
/** Field names the forms read, so generated bodies reach the handlers' validation. */
const FIELD_NAMES = [
  "email",
  "password",
  "confirm",
  "name",
  "note",
  "intent",
  "id",
  "path",
  "kind",
  "message",
  "token",
  "newPassword",
  "currentPassword",
  "startedAt",
  "minutes",
  "seconds",
  "position",
  "area",
  "layer",
  "matId",
  "discomfort",
  "spikeCount",
  "lengthMm",
  "widthMm",
  "mat",
  "mass",
  "skin",
  "tolerance",
  "level",
  "next",
  "everywhere",
  "areasOff",
  "start",
  "timeZone",
  "sessions",
  "outcome",
  "mcid",
  "comparator",
  "time",
  "periodDays",
  "pairs",
  "washout",
  "expectation",
  "startsOn",
  "adherence",
  "pain",
  "sleepLatency",
  "wakings",
  "reason",
  "date",
  "step",
  "session-time",
  "session-channel",
  "evening-time",
  "morning-channel",
  "endpoint",
  "keys",
  "t",
  "title",
  "question",
  "contact",
  "consent",
  "targetSize",
  "endsOn",
  "locked",
  "screen1",
  "exclude1",
  "invitation",
  "label",
  "choice",
  "version",
  "hash",
  "item1",
  "q1",
];

const controlChar = fc
  .integer({ min: 0, max: 0x1f })
  .chain((c) => fc.constantFrom(String.fromCharCode(c), "\u007f", "\u0085", "\u2028", "\ufeff"));
const oddChar = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: controlChar },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "%",
      "%zz",
      "%E0%A4",
      "\\",
      "/",
      "//",
      "<script>",
      '"',
      "'",
      "&",
      "=",
      "#",
      "?",
      "\ud800",
    ),
  },
);
/** Text a person might not have meant to send: control characters, lone surrogates, escapes. */
const oddText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: oddChar, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "0",
      "-1",
      "1e309",
      "NaN",
      "9".repeat(400),
      "2099-99-99",
      "00000000-0000-0000-0000-000000000000",
      "mine-x",
      "delete",
      "on",
      "null",
      "//evil.example/x",
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 70_000 }).map((n) => "y".repeat(n)) },
);
const shortOddText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: oddChar, maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "0", "-1", "NaN", "9".repeat(300), "2099-99-99", "//evil.example/x", "%00"),
  },
);
const fieldName = fc.oneof(
  fc.constantFrom(...FIELD_NAMES),
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.string({ unit: oddChar, maxLength: 12 }),
);
const fields = fc.array(fc.tuple(fieldName, oddText), { maxLength: 12 });

/** Percent-encodes every byte outside [A-Za-z0-9], or leaves text raw (a client may send either). */
function pct(s: string): string {
  return [...Buffer.from(s, "utf8")]
    .map((b) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, "0")}`,
    )
    .join("");
}
const urlEncoded = (pairs: [string, string][]) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join("&");

const segment = fc.oneof(
  fc.constant("00000000-0000-0000-0000-000000000000"),
  fc.uuid(),
  fc.string({ unit: oddChar, minLength: 1, maxLength: 20 }).map(pct),
);

/** JSON nested `depth` levels deep, as arrays or objects. */
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );
const jsonWithPrototypeKeys = fc
  .dictionary(
    fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom(...FIELD_NAMES)),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map((o) => {
    // JSON.stringify drops a "__proto__" own key made by assignment; write it out by hand.
    const entries = Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`);
    return `{${entries.join(",")},"__proto__":{"polluted":true}}`.replace("{,", "{");
  });

const CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-16",
  "multipart/form-data; boundary=fuzz",
  "multipart/form-data",
  "application/json",
  "application/json; charset=latin1",
  "text/plain",
  "application/xml",
  "application/octet-stream",
  "",
  "form/urlencoded;;;",
];

interface Body {
  type: string;
  chunks: Buffer[];
}
const body: fc.Arbitrary<Body> = fc.oneof(
  fields.map((f): Body => ({ type: "application/x-www-form-urlencoded", chunks: [Buffer.from(urlEncoded(f))] })),
  fields.map((f): Body => ({
    type: "multipart/form-data; boundary=fuzz",
    chunks: [
      Buffer.from(
        `${f.map(([k, v]) => `--fuzz\r\nContent-Disposition: form-data; name="${k.replace(/"/g, "")}"\r\n\r\n${v}\r\n`).join("")}--fuzz--\r\n`,
      ),
    ],
  })),
  fc
    .oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
      jsonWithPrototypeKeys,
      deepJson,
    )
    .map((s): Body => ({ type: "application/json", chunks: [Buffer.from(s)] })),
  fc
    .tuple(fc.constantFrom(...CONTENT_TYPES), fc.uint8Array({ maxLength: 2000 }))
    .map(([type, bytes]): Body => ({ type, chunks: [Buffer.from(bytes)] })),
  // Around and far over the 64 KB limit, sent in chunks without a Content-Length.
  fc
    .tuple(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 1024 * 1024))
    .map(([type, size]): Body => ({
      type,
      chunks: Array.from({ length: Math.ceil(size / 16_384) }, (_, i) =>
        Buffer.alloc(Math.min(16_384, size - i * 16_384), "a"),
      ),
    })),
);

const method = fc.oneof(
  { weight: 4, arbitrary: fc.constant("GET") },
  { weight: 1, arbitrary: fc.constant("HEAD") },
  { weight: 6, arbitrary: fc.constant("POST") },
  // Methods node's HTTP parser knows (one it does not know never reaches the server's code).
  {
    weight: 2,
    arbitrary: fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "PURGE", "SEARCH"),
  },
);

interface FuzzRequest {
  method: string;
  path: string;
  query: [string, string][];
  body: Body | null;
  /** Send the site's own Origin (a page would); otherwise a foreign or no Origin. */
  origin: "own" | "foreign" | "none";
  acceptEncoding: string;
  /** Send Content-Length (true) or a chunked body without one (false). */
  declareLength: boolean;
}

function requestFor(template: string): fc.Arbitrary<FuzzRequest> {
  const params = template.match(/\[[^\]]+\]/g) ?? [];
  return fc.record({
    method,
    path: fc
      .tuple(...params.map(() => segment))
      .map((values) => values.reduce((p, v, i) => p.replace(params[i] ?? "", v), template)),
    // Short enough that the request line stays under node's 16 KB header limit (which answers 431 and closes).
    query: fc.array(fc.tuple(fieldName, shortOddText), { maxLength: 6 }),
    body: fc.option(body, { freq: 4 }),
    origin: fc.constantFrom("own", "own", "own", "foreign", "none"),
    acceptEncoding: fc.constantFrom("", "br", "gzip", "identity;q=0, *;q=0", "x".repeat(300)),
    declareLength: fc.boolean(),
  });
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

/** Sends a request through node:http (any method, any bytes, chunked when there is a body); resolves with the status. */
function send(base: string, r: FuzzRequest, cookie: string): Promise<number> {
  const query = r.query.length ? `?${urlEncoded(r.query)}` : "";
  const headers: Record<string, string> = {};
  if (cookie) headers["cookie"] = cookie;
  if (r.origin === "own") headers["origin"] = base;
  if (r.origin === "foreign") headers["origin"] = "https://evil.example";
  if (r.acceptEncoding) headers["accept-encoding"] = r.acceptEncoding;
  if (r.body) {
    headers["content-type"] = r.body.type;
    // Frame the body the way a client must, whatever the method (node's client would not, for a GET).
    if (r.declareLength) headers["content-length"] = String(r.body.chunks.reduce((n, c) => n + c.length, 0));
    else headers["transfer-encoding"] = "chunked";
  }
  return new Promise((resolve, reject) => {
    // A connection of its own: a shared keep-alive socket would carry one request's unread body into the next.
    // An answer that arrives before the whole body was sent (a refusal that needs none of it) counts
    // as the answer even if the connection then breaks while this side is still sending: the server
    // answered. An error before any answer is a failure.
    let answered: number | null = null;
    const req = httpRequest(`${base}${r.path}${query}`, { method: r.method, headers, agent: false }, (res) => {
      answered = res.statusCode ?? 0;
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", (err) => (answered === null ? reject(err) : resolve(answered)));
    });
    req.on("error", (err) =>
      answered === null
        ? reject(new Error(`no answer: ${(err as NodeJS.ErrnoException).code ?? err.message}`))
        : resolve(answered),
    );
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    const chunks = r.body?.chunks ?? [];
    let i = 0;
    const write = () => {
      while (i < chunks.length) if (!req.write(chunks[i++])) return void req.once("drain", write);
      req.end();
    };
    write();
  });
}

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

  it("covers every page of src/pages", () => {
    expect(ROUTES).toEqual(
      expect.arrayContaining([
        "/",
        "/healthz",
        "/api/feedback",
        "/account/sign-up",
        "/sessions/[id]",
        "/account/safety-checks/[id]",
        "/plan/calendar.ics",
      ]),
    );
    expect(ROUTES.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    ["a visitor", false],
    ["a signed-in person", true],
  ])("as %s, every route answers generated requests without a 5xx", async (_who, signedIn) => {
    const failures: string[] = [];
    const seen = new Map<number, number>();
    for (const [i, route] of ROUTES.entries()) {
      const as = signedIn && !VISITOR_ONLY.has(route) ? cookie : "";
      const result = await fc.check(
        fc.asyncProperty(requestFor(route), async (r) => {
          const status = await send(server.url, r, as);
          seen.set(status, (seen.get(status) ?? 0) + 1);
          if (status >= 500) throw new Error(`answered ${status}`);
        }),
        // A seed of its own for each route and person, so routes do not all get the same requests.
        { numRuns: NUM_RUNS, seed: SEED * 1000 + i * 2 + (signedIn ? 1 : 0) },
      );
      // The error first: a counterexample with a 1 MB body would push it out of the message.
      if (result.failed)
        failures.push(
          `${route}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}; ${fc.defaultReportMessage(result) ?? "failed"}`.slice(
            0,
            1500,
          ),
        );
    }
    expect(failures, server.output().slice(-3000)).toEqual([]);
    // The generator reached past the front door: pages, refusals of every kind, and the handlers' own validation.
    console.log(`[fuzz] ${_who}: answers by status`, Object.fromEntries([...seen].sort(([a], [b]) => a - b)));
    expect([...seen.keys()]).toEqual(expect.arrayContaining([200, 400, 403, 404, 405, 413]));
    // The fuzzing account still works, and so does the server.
    if (signedIn)
      expect((await fetch(`${server.url}/account`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
  });
});

describe("the shapes of issue 25 get an answer, and the server stays healthy", () => {
  let server: RunningServer;
  let cookie = "";
  beforeAll(async () => {
    server = await startServer();
    cookie = await signUpAs(server.url, `shapes${randomBytes(3).toString("hex")}@example.com`);
  });
  afterAll(async () => {
    await server?.stop();
  });
  const healthy = async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  };
  /**
   * Posts a file on a connection of its own. Making the file blocks this process for seconds, as
   * long as the server keeps an idle connection open: fetch could then send on a pooled connection
   * the server has just closed (EPIPE), which says nothing about the server.
   */
  const importFile = async (bytes: Uint8Array, name: string) => {
    const form = new FormData();
    form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
    const encoded = new Request(`${server.url}/account/import`, { method: "POST", body: form });
    const body = Buffer.from(await encoded.arrayBuffer());
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/account/import`,
        {
          method: "POST",
          agent: false,
          headers: {
            cookie,
            origin: server.url,
            "content-type": encoded.headers.get("content-type") ?? "",
            "content-length": body.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };
  const day = (i: number) => new Date(Date.UTC(1700, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

  it.each([
    [
      "a Takeout zip whose sleep file holds 130,000 nights",
      () =>
        zipSync({
          "Takeout/Fitbit/x/sleep-1.json": strToU8(
            JSON.stringify(
              Array.from({ length: 130_000 }, (_, k) => ({
                startTime: `${day(k)}T23:00:00.000`,
                endTime: `${day(k + 1)}T07:00:00.000`,
                minutesAsleep: 420,
              })),
            ),
          ),
        }),
      "takeout.zip",
      /more than 40,000 nights/,
    ],
    [
      "a sleep JSON file that is one huge array of nothing",
      () => strToU8(`[${"{},".repeat(500_000)}{}]`),
      "sleep.json",
      /./,
    ],
    [
      "an Apple Health export with a 20 MB attribute",
      () =>
        zipSync({
          "apple_health_export/export.xml": strToU8(
            `<?xml version="1.0"?><HealthData locale="en"><Record type="HKQuantityTypeIdentifierStepCount" note="${"a".repeat(20 * 1024 * 1024)}"/></HealthData>`,
          ),
        }),
      "export.zip",
      /longer than a megabyte/,
    ],
  ])(
    "answers %s in words",
    async (_what, make, name, message) => {
      const { status, text } = await importFile(make(), name);
      expect(status).toBe(400);
      expect(text).toMatch(message);
      await healthy();
    },
    120_000,
  );

  it("answers a form sent a byte at a time with 408 and closes its connection", async () => {
    const url = new URL(server.url);
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      const socket: Socket = createConnection(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/feedback HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`,
        );
      });
      // One byte a second until the server answers (30 s for an ordinary body).
      const drip = setInterval(() => socket.writable && socket.write("a"), 1000);
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("error", () => undefined);
      socket.on("close", () => {
        clearInterval(drip);
        resolve(text);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    await healthy();
  }, 120_000);

  it("closes connections past the cap per address, and serves again once they are gone", async () => {
    const url = new URL(server.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          new Promise<{ socket: Socket; closed: Promise<void> }>((ok) => {
            const socket = createConnection(Number(url.port), url.hostname, () => ok({ socket, closed }));
            const closed = new Promise<void>((done) => socket.once("close", () => done()));
            socket.on("error", () => undefined);
          }),
      ),
    );
    // Some of the 40 are closed by the server at once (the cap is 32); wait for the first of them.
    await Promise.race(sockets.map((s) => s.closed));
    for (const s of sockets) s.socket.destroy();
    await Promise.all(sockets.map((s) => s.closed));
    // The server's count follows the closes: try until it serves this address again.
    for (;;) {
      try {
        if ((await fetch(`${server.url}/healthz`)).status === 200) break;
      } catch {
        /* still at the cap for a moment */
      }
    }
  }, 120_000);
});
