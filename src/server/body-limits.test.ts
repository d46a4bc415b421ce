import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_IMPORT_BYTES, MAX_IMPORT_SIZE_TEXT } from "../core/experiments/import";
import { MAX_SLEEP_IMPORT_BYTES, MAX_SLEEP_IMPORT_TEXT } from "../core/health-import/detect";
import {
  BODY_LIMITS,
  bodyLimitFor,
  BodyTooLargeError,
  declaredOver,
  DEFAULT_BODY_LIMIT,
  EXPERIMENT_IMPORT_BODY,
  EXPERIMENT_IMPORT_FORM_BYTES,
  FORM_ROOM_BYTES,
  limitedChunks,
  sizeText,
} from "./body-limits";

async function collect(source: AsyncIterable<Uint8Array>): Promise<number[]> {
  const sizes: number[] = [];
  for await (const chunk of source) sizes.push(chunk.byteLength);
  return sizes;
}

function chunks(...sizes: number[]): AsyncIterable<Uint8Array> {
  return Readable.from(sizes.map((n) => Buffer.alloc(n)));
}

describe("the limits table", () => {
  it("gives every path without a row the default, and the longest matching prefix otherwise", () => {
    expect(bodyLimitFor("/api/feedback")).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor("/experiments/import")).toBe(EXPERIMENT_IMPORT_BODY.bytes);
    expect(bodyLimitFor("/account/import")).toBeGreaterThan(MAX_SLEEP_IMPORT_BYTES);
    const limits = [
      { prefix: "/a", bytes: 1, why: "short" },
      { prefix: "/a/b", bytes: 2, why: "long" },
    ];
    expect(bodyLimitFor("/a/b/c", limits)).toBe(2);
    expect(bodyLimitFor("/a/c", limits)).toBe(1);
  });

  it("holds the experiment import's form to its file and room for the form, and lets a file up to twice too large through to be refused in words", () => {
    // The action refuses a body over EXPERIMENT_IMPORT_FORM_BYTES under the file; the web server's row must be larger.
    expect(EXPERIMENT_IMPORT_FORM_BYTES).toBe(MAX_IMPORT_BYTES + FORM_ROOM_BYTES);
    expect(EXPERIMENT_IMPORT_BODY.bytes).toBe(EXPERIMENT_IMPORT_FORM_BYTES + MAX_IMPORT_BYTES);
    expect(EXPERIMENT_IMPORT_BODY.bytes).toBeGreaterThan(EXPERIMENT_IMPORT_FORM_BYTES);
  });

  it("states in each row's words the file size the action takes", () => {
    const stated = (why: string) => /up to ([\d.]+ [KMG]B)/.exec(why)?.[1];
    expect(stated(EXPERIMENT_IMPORT_BODY.why)).toBe(sizeText(MAX_IMPORT_BYTES));
    expect(stated(EXPERIMENT_IMPORT_BODY.why)).toBe(MAX_IMPORT_SIZE_TEXT);
    const sleep = BODY_LIMITS.find((l) => l.prefix === "/account/import")!;
    expect(stated(sleep.why)).toBe(sizeText(MAX_SLEEP_IMPORT_BYTES));
    expect(MAX_SLEEP_IMPORT_TEXT).toBe(sizeText(MAX_SLEEP_IMPORT_BYTES));
  });
});

describe("limitedChunks, the one byte counter", () => {
  it("passes a body within the limit through whole, a body of exactly the limit included", async () => {
    expect(await collect(limitedChunks(chunks(3, 4), 7))).toEqual([3, 4]);
  });

  it("stops at the first chunk over the limit, after the chunks within it", async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const c of limitedChunks(chunks(3, 4, 5), 8)) seen.push(c.byteLength);
    };
    await expect(run()).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(seen).toEqual([3, 4]);
  });
});

describe("declaredOver", () => {
  it("is true only for a readable Content-Length over the limit", () => {
    expect(declaredOver("11", 10)).toBe(true);
    expect(declaredOver("10", 10)).toBe(false);
    expect(declaredOver(null, 10)).toBe(false);
    expect(declaredOver(undefined, 10)).toBe(false);
    expect(declaredOver("many", 10)).toBe(false);
  });
});

describe("sizeText", () => {
  it("says a size in the largest whole unit, rounded down to a tenth", () => {
    expect(sizeText(DEFAULT_BODY_LIMIT)).toBe("64 KB");
    expect(sizeText(2 * 1024 * 1024)).toBe("2 MB");
    expect(sizeText(1536 * 1024 * 1024)).toBe("1.5 GB");
  });
});
