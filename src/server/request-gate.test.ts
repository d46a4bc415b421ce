import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DatabaseUnavailableError, MB, noteUnavailable, UNAVAILABLE_MESSAGES } from "./availability";
import { installRequestGate, type GateOptions } from "./request-gate";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: Handler, opts: GateOptions = {}) {
  const server = createServer(handler);
  const gate = installRequestGate(server, opts);
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { gate, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Answers like Astro's node adapter: head, body in chunks, end. */
function astroLike(status: number, body: string): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
    res.write(body.slice(0, 3));
    res.end(body.slice(3));
  };
}

describe("request gate", () => {
  it("finishes the requests in flight when draining, and refuses new ones with 503", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const { gate, url } = await serve((req, res) => {
      if (req.url === "/slow") void released.then(() => res.end("done"));
      else res.end("quick");
    });
    const slow = fetch(`${url}/slow`);
    await vi.waitFor(() => expect(gate.inFlight()).toBe(1));
    const drained = gate.drain(5_000);
    const refused = await fetch(`${url}/quick`, { headers: { accept: "application/json" } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(refused.headers.get("connection")).toBe("close");
    expect(await refused.json()).toEqual({ error: UNAVAILABLE_MESSAGES.stopping });
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("done");
    expect(await drained).toEqual({ cutOff: 0 });
    expect(gate.draining()).toBe(true);
  });

  it("gives up draining at the deadline and says how many requests were cut off", async () => {
    const { gate, url } = await serve(() => {
      /* never answers */
    });
    void fetch(`${url}/stuck`).catch(() => {});
    await vi.waitFor(() => expect(gate.inFlight()).toBe(1));
    expect(await gate.drain(50)).toEqual({ cutOff: 1 });
  });

  it("on close, answers a connection that had not sent its request yet with 503 instead of resetting it", async () => {
    const { gate, url } = await serve((_req, res) => res.end("ok"));
    const { port } = new URL(url);
    // A keep-alive client that has had its answer and now sits idle is closed at once.
    const idle = connect(Number(port), "127.0.0.1");
    await new Promise((r) => idle.once("connect", r));
    idle.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((r) => idle.once("data", r));
    const idleClosed = new Promise((r) => idle.once("close", r));
    // A client that connected just before the stop sends its request a moment later.
    const late = connect(Number(port), "127.0.0.1");
    await new Promise((r) => late.once("connect", r));
    let answer = "";
    late.on("data", (c: Buffer) => (answer += c.toString()));
    const lateEnded = new Promise((r) => late.once("end", r));
    await gate.drain(1_000);
    const closed = gate.close(5_000);
    await idleClosed;
    late.write("POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    await lateEnded;
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toContain("Connection: close");
  });

  it("refuses writes but not reads while the disk is below its minimum free space", async () => {
    let low = true;
    const { url } = await serve((_req, res) => res.end("ok"), {
      diskSpace: () => ({ freeBytes: 5 * MB, minFreeBytes: 64 * MB, low }),
    });
    const post = await fetch(`${url}/api/feedback`, { method: "POST", body: "{}", headers: { accept: "text/html" } });
    expect(post.status).toBe(503);
    expect(post.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await post.text()).toContain("the disk of the server is full");
    expect((await fetch(`${url}/`)).status).toBe(200);
    low = false;
    expect((await fetch(`${url}/api/feedback`, { method: "POST", body: "{}" })).status).toBe(200);
  });

  it("turns the 500 of a request that met an unavailable database into a 503 that says why", async () => {
    const { url } = await serve((req, res) => {
      if (req.url === "/db-down") {
        // A repository call fails deep inside the page; the page then answers a plain 500.
        void Promise.resolve().then(() => {
          noteUnavailable(new DatabaseUnavailableError("database-failed", UNAVAILABLE_MESSAGES["database-failed"]));
          astroLike(500, '{"error":"Something went wrong"}')(req, res);
        });
      } else astroLike(500, '{"error":"Something went wrong"}')(req, res);
    });
    const down = await fetch(`${url}/db-down`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ error: UNAVAILABLE_MESSAGES["database-failed"] });
    const bug = await fetch(`${url}/bug`);
    expect(bug.status).toBe(500);
    expect(await bug.text()).toBe('{"error":"Something went wrong"}');
  });
});
