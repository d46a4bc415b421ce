import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptHash } from "./security-headers";
import { createWebServer } from "./web-server";

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
    server = createWebServer((req, res) => {
      const seen = req.url === "/account/echo-address" ? ` ${JSON.stringify({ xff: req.headers["x-forwarded-for"], client: req.headers["x-matwise-client-ip"] })}` : "";
      res.writeHead(200, { "content-type": "text/plain" }).end(`astro handled ${req.url}${seen}`);
    }, dir, { trustProxy: false, scriptHashes: [scriptHash("known()")] });
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
    const body = raw.toString("utf8").startsWith("<!doctype") ? raw.toString("utf8") : brotliDecompressSync(raw).toString("utf8");
    expect(body).toBe(page);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`script-src 'self' 'wasm-unsafe-eval' ${scriptHash("known()")}`);
    // The page's own <script>go()</script> is not in the build's list, so it is not allowed.
    expect(csp).not.toContain(scriptHash("go()"));
    const again = await fetch(`${url}/guides/x`, { headers: { "if-none-match": res.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
  });

  it("hands Astro the socket's address, whatever the client claims", async () => {
    const res = await fetch(`${url}/account/echo-address`, { headers: { "x-forwarded-for": "10.9.0.1", "x-matwise-client-ip": "6.6.6.6" } });
    expect(JSON.parse((await res.text()).replace(/^astro handled \S+ /, ""))).toEqual({ xff: "127.0.0.1", client: "127.0.0.1" });
  });

  it("answers a malformed address with 400, not a crash", async () => {
    const res = await fetch(`${url}/%E0%A4%A`);
    expect(res.status).toBe(400);
  });
});
