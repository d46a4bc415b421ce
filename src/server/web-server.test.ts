import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { createConnection, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptHash } from "./security-headers";
import { bodyLimitFor, DEFAULT_BODY_LIMIT } from "./body-limits";
import { staticCacheControl } from "./static-files";
import { createWebServer } from "./web-server";

/** Sends a body in chunks without Content-Length (chunked), as a raw client would; resolves with the answer. */
function postChunked(url: string, chunks: number, chunkSize: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/feedback`,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(chunkSize, "a");
    let sent = 0;
    const write = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

/** What the stand-in for Astro reads as the body: the replayed one the web server attached. */
async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  const source: AsyncIterable<Buffer> =
    (req as IncomingMessage & { body?: AsyncIterable<Buffer> }).body ?? (req as AsyncIterable<Buffer>);
  for await (const part of source) parts.push(part);
  return Buffer.concat(parts);
}

describe("web server in front of Astro", () => {
  const dir = mkdtempSync(join(tmpdir(), "matwise-web-"));
  const page = `<!doctype html><html><body>${"<p>guide text</p>".repeat(100)}<script>go()</script></body></html>`;
  let url = "";
  let server: ReturnType<typeof createWebServer>;
  beforeAll(async () => {
    mkdirSync(join(dir, "guides/x"), { recursive: true });
    writeFileSync(join(dir, "guides/x/index.html"), page);
    writeFileSync(join(dir, "index.html"), "<p>home</p>");
    writeFileSync(join(dir, "image.png"), "binary");
    server = createWebServer(
      (req, res) => {
        if (req.method === "POST") {
          void bodyOf(req).then((body) =>
            res.writeHead(200, { "content-type": "text/plain" }).end(`astro read ${body.length} bytes`),
          );
          return;
        }
        const seen =
          req.url === "/account/echo-address"
            ? ` ${JSON.stringify({ xff: req.headers["x-forwarded-for"], client: req.headers["x-matwise-client-ip"] })}`
            : "";
        res.writeHead(200, { "content-type": "text/plain" }).end(`astro handled ${req.url}${seen}`);
      },
      dir,
      { trustProxy: false, scriptHashes: [scriptHash("known()")], production: true },
    );
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it.each([
    // path, who answers
    ["/guides/x", "static"],
    ["/guides/x/", "static"],
    ["/guides/x/index.html", "static"],
    ["/", "static"],
    ["/account", "astro"],
    ["/image.png", "astro"],
    ["/guides/x/../../etc", "astro"],
  ])("%s is answered by %s", async (path, who) => {
    const res = await fetch(`${url}${path}`);
    const text = await res.text();
    expect(text.startsWith("astro handled")).toBe(who === "astro");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("serves brotli when asked, with the build's script hashes (not the page's), and 304 on a matching ETag", async () => {
    const res = await fetch(`${url}/guides/x`, { headers: { "accept-encoding": "br" } });
    expect(res.headers.get("content-encoding")).toBe("br");
    const raw = Buffer.from(await res.arrayBuffer());
    // fetch already decodes; compare with what the file holds either way
    const body = raw.toString("utf8").startsWith("<!doctype")
      ? raw.toString("utf8")
      : brotliDecompressSync(raw).toString("utf8");
    expect(body).toBe(page);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`script-src 'self' 'wasm-unsafe-eval' ${scriptHash("known()")}`);
    // The page's own <script>go()</script> is not in the build's list, so it is not allowed.
    expect(csp).not.toContain(scriptHash("go()"));
    const again = await fetch(`${url}/guides/x`, { headers: { "if-none-match": res.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
  });

  it("hands Astro the socket's address, whatever the client claims", async () => {
    const res = await fetch(`${url}/account/echo-address`, {
      headers: { "x-forwarded-for": "10.9.0.1", "x-matwise-client-ip": "6.6.6.6" },
    });
    expect(JSON.parse((await res.text()).replace(/^astro handled \S+ /, ""))).toEqual({
      xff: "127.0.0.1",
      client: "127.0.0.1",
    });
  });

  it.each(["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"])(
    "answers %s with 405 and Allow, before Astro",
    async (method) => {
      // fetch refuses to send TRACE, so this goes through node:http.
      const res = await new Promise<IncomingMessage & { text: string }>((resolve, reject) => {
        const req = httpRequest(`${url}/account`, { method }, (r) => {
          let text = "";
          r.on("data", (d: Buffer) => (text += d.toString()));
          r.on("end", () => resolve(Object.assign(r, { text })));
        });
        req.on("error", reject);
        req.end();
      });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe("GET, HEAD, POST");
      expect(res.text).not.toContain("astro handled");
    },
  );

  it("answers OPTIONS with the allowed methods", async () => {
    const res = await fetch(`${url}/account`, { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("passes a body within the limit to Astro unchanged", async () => {
    const res = await fetch(`${url}/api/feedback`, { method: "POST", body: "a".repeat(DEFAULT_BODY_LIMIT) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`astro read ${DEFAULT_BODY_LIMIT} bytes`);
    const empty = await fetch(`${url}/api/feedback`, { method: "POST" });
    expect(await empty.text()).toBe("astro read 0 bytes");
  });

  it("refuses a declared body over the limit with 413 before reading it", async () => {
    const res = await fetch(`${url}/api/feedback`, { method: "POST", body: "a".repeat(DEFAULT_BODY_LIMIT + 1) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("at most 64 KB");
  });

  it("refuses a chunked body (no Content-Length) at the first byte over the limit, and answers", async () => {
    expect(await postChunked(url, 3, 16 * 1024)).toEqual({ status: 200, text: `astro read ${3 * 16 * 1024} bytes` });
    const big = await postChunked(url, 400, 16 * 1024);
    expect(big.status).toBe(413);
    expect(big.text).toContain("too large");
  });

  it("keeps a documented larger limit for the paths that need one", () => {
    const limits = [{ prefix: "/account/import", bytes: 5_000_000, why: "CSV import" }];
    expect(bodyLimitFor("/account/import/sessions", limits)).toBe(5_000_000);
    expect(bodyLimitFor("/account", limits)).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("/api/feedback")).toBe(DEFAULT_BODY_LIMIT);
  });

  it("sends Strict-Transport-Security in production, from memory and from Astro", async () => {
    for (const path of ["/guides/x", "/account"])
      expect((await fetch(`${url}${path}`)).headers.get("strict-transport-security")).toBe(
        "max-age=31536000; includeSubDomains",
      );
    const dev = createWebServer((_req, res) => res.end("x"), dir, { trustProxy: false, scriptHashes: [] });
    await new Promise<void>((ok) => dev.listen(0, "127.0.0.1", ok));
    try {
      const res = await fetch(`http://127.0.0.1:${(dev.address() as AddressInfo).port}/guides/x`);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await new Promise<void>((ok) => dev.close(() => ok()));
    }
  });

  it.each(["/%E0%A4%A", "/guides/%2541", "/account/%252F"])(
    "answers a malformed or doubly encoded address (%s) with 400, not a crash",
    async (path) => {
      for (const method of ["GET", "POST"]) expect((await fetch(`${url}${path}`, { method })).status).toBe(400);
    },
  );
});

describe("a streamed upload route (BODY_LIMITS with stream)", () => {
  const dir = mkdtempSync(join(tmpdir(), "matwise-web-stream-"));
  let url = "";
  let server: ReturnType<typeof createWebServer>;
  beforeAll(async () => {
    server = createWebServer(
      (req, res) => {
        if (req.url === "/early") {
          // Answers after the first chunk and stops reading, as Astro does when it refuses a request's origin.
          void (async () => {
            const source =
              (req as IncomingMessage & { body?: AsyncIterable<Buffer> }).body ?? (req as AsyncIterable<Buffer>);
            for await (const chunk of source) if (chunk.length > 0) break;
            // Whether stopping the read destroyed the connection (then a client still sending would get a reset).
            await new Promise((r) => setImmediate(r));
            res
              .writeHead(403, { "content-type": "text/plain" })
              .end(`refused early; connection cut: ${req.socket.destroyed}`);
          })();
          return;
        }
        // Handed on before the body has arrived: the stand-in counts it as Astro would read it.
        const early = !req.complete;
        void bodyOf(req).then(
          (body) =>
            res.writeHead(200, { "content-type": "text/plain" }).end(`streamed=${early} read ${body.length} bytes`),
          (err: unknown) =>
            res.writeHead(413, { "content-type": "text/plain" }).end(`cut: ${(err as { code?: string }).code ?? "?"}`),
        );
      },
      dir,
      {
        bodyLimits: [
          { prefix: "/upload", bytes: 100_000, stream: true, why: "test" },
          { prefix: "/early", bytes: 64 * 1024 * 1024, stream: true, why: "test" },
        ],
      },
    );
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const postChunkedTo = (path: string, chunks: number, size: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${url}${path}`,
        { method: "POST", headers: { "content-type": "application/octet-stream" } },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      let sent = 0;
      const write = () => {
        while (sent < chunks) {
          sent++;
          if (!req.write(Buffer.alloc(size, "a"))) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });

  it("hands the body on as it arrives, whole when within the limit", async () => {
    expect(await postChunkedTo("/upload", 5, 16 * 1024)).toEqual({
      status: 200,
      text: `streamed=true read ${5 * 16 * 1024} bytes`,
    });
  });

  it("refuses a declared length over the limit with 413 in words before reading it", async () => {
    const res = await fetch(`${url}/upload`, { method: "POST", body: "a".repeat(100_001) });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe(
      "The request is too large: this address accepts at most 98 KB. Nothing was stored. Choose a smaller file and send it again.",
    );
  });

  it("cuts a chunked body at the first byte over the limit", async () => {
    expect(await postChunkedTo("/upload", 20, 16 * 1024)).toEqual({ status: 413, text: "cut: BODY_TOO_LARGE" });
  });

  it("delivers an answer given before the body was read, instead of resetting the connection while the client still sends", async () => {
    // 4 MB with a declared length, ten times: each time the answer arrives and the connection is not reset.
    for (let i = 0; i < 10; i++) {
      const size = 4 * 1024 * 1024;
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          `${url}/early`,
          {
            method: "POST",
            agent: false,
            headers: { "content-type": "application/octet-stream", "content-length": String(size) },
          },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on("error", reject);
        let sent = 0;
        const write = () => {
          while (sent < size) {
            const n = Math.min(64 * 1024, size - sent);
            sent += n;
            if (!req.write(Buffer.alloc(n, "a"))) return void req.once("drain", write);
          }
          req.end();
        };
        write();
      });
      expect(answer).toEqual({ status: 403, text: "refused early; connection cut: false" });
    }
  });

  it("limits another method's body to the default, read as usual", () => {
    expect(bodyLimitFor("/upload", [{ prefix: "/upload", bytes: 100_000, stream: true, why: "test" }])).toBe(100_000);
    expect(bodyLimitFor("/account/import")).toBeGreaterThan(1.5 * 1024 ** 3);
  });
});

describe("staticCacheControl", () => {
  it.each([
    ["/_astro/timer.abc123.js", "public, max-age=31536000, immutable"],
    ["/sw.js", "no-cache"], // a new build's service worker is always found (decision 091)
    ["/sw-push.js", "no-cache"], // and the push handling it imports
    ["/register-sw.js", "public, max-age=0, must-revalidate"],
    ["/guides/index.html", "public, max-age=0, must-revalidate"],
  ])("%s: %s", (path, policy) => expect(staticCacheControl(path)).toBe(policy));
});

describe("slow bodies and many connections from one address (issue 25)", () => {
  const dir = mkdtempSync(join(tmpdir(), "matwise-web-slow-"));
  let port = 0;
  let server: ReturnType<typeof createWebServer>;
  beforeAll(async () => {
    server = createWebServer(
      (req, res) => {
        void bodyOf(req).then((body) =>
          res.writeHead(200, { "content-type": "text/plain" }).end(`read ${body.length} bytes`),
        );
      },
      dir,
      {
        trustProxy: false,
        scriptHashes: [],
        bodyTimeoutMs: 300,
        maxConnectionsPerAddress: 3,
        bodyLimits: [{ prefix: "/upload", bytes: 100_000, timeoutMs: 60_000, why: "test" }],
      },
    );
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  /** Opens a raw connection and sends `head`; `answer` resolves with everything received once the server closes it. */
  function raw(head: string): Promise<{ socket: Socket; answer: Promise<string> }> {
    return new Promise((ok, fail) => {
      const socket = createConnection(port, "127.0.0.1", () => {
        socket.write(head);
        ok({ socket, answer });
      });
      let text = "";
      const answer = new Promise<string>((done) => {
        socket.on("data", (d: Buffer) => (text += d.toString()));
        socket.on("close", () => done(text));
      });
      socket.on("error", () => undefined);
      socket.once("error", fail);
    });
  }
  const slowForm = (path: string) =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=a`;

  it("answers 408 to a form whose body does not arrive in time, and closes its connection; an upload route gets its own, longer time", async () => {
    const upload = await raw(slowForm("/upload"));
    const form = await raw(slowForm("/api/feedback"));
    // The form's connection ends with a 408 (once failed: it stayed open for the hour of uploads).
    expect(await form.answer).toMatch(/^HTTP\/1\.1 408 /);
    // By then the upload, as slow, is still being read: finishing it gets an answer.
    upload.socket.write("b".repeat(994));
    upload.socket.end();
    expect(await upload.answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*read 1000 bytes/);
  });

  it("closes connections from one address past the cap, and takes new ones once others closed", async () => {
    const held = await Promise.all([0, 1, 2].map(() => raw("")));
    const extra = await raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await extra.answer).toBe("");
    held[0]!.socket.destroy();
    await held[0]!.answer;
    // The count follows the close on the server's side too: try until a new connection is served.
    for (;;) {
      const again = await raw("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      if ((await again.answer) !== "") break;
    }
    for (const h of held.slice(1)) h.socket.destroy();
  });
});
