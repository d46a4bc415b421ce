/** Raw HTTP GETs that count the bytes on the wire (body as sent, status line and headers). */
import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Content-Encoding the server chose ("identity" when none). */
  encoding: string;
  /** Body bytes as sent (compressed when the server compressed). */
  bodyBytes: number;
  /** Status line + header lines + blank line, as HTTP/1.1 sends them. */
  headerBytes: number;
  /** The body, decoded only when it was sent uncompressed. */
  body: Buffer;
}

/** GET `url` with the given Accept-Encoding ("" sends none) without decoding anything. */
export function rawGet(url: string, acceptEncoding: string): Promise<RawResponse> {
  return new Promise((ok, fail) => {
    const headers: Record<string, string> = { "user-agent": "matwise-bench" };
    if (acceptEncoding) headers["accept-encoding"] = acceptEncoding;
    const req = request(url, { method: "GET", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        let headerBytes = `HTTP/1.1 ${res.statusCode ?? 0} ${res.statusMessage ?? ""}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          headerBytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`);
        ok({
          status: res.statusCode ?? 0,
          headers: res.headers,
          encoding: String(res.headers["content-encoding"] ?? "identity"),
          bodyBytes: body.length,
          headerBytes,
          body,
        });
      });
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

/** A signed-in page view: time to the last byte on loopback, the status and the body. */
export function timedGet(url: string, cookie: string): Promise<{ ms: number; status: number; body: Buffer }> {
  return new Promise((ok, fail) => {
    const start = process.hrtime.bigint();
    const req = request(url, { headers: { cookie, "user-agent": "matwise-bench" }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        ok({
          ms: Number(process.hrtime.bigint() - start) / 1e6,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
        }),
      );
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

/** The middle value (the upper one of the two middle values for an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
