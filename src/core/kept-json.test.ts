import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_KEPT_JSON, parseKeptJson } from "./kept-json";

const Schema = z.object({ n: z.number() });

describe("parseKeptJson", () => {
  it.each([null, undefined, "", "not json", "[]", '{"n":"1"}', `{"n":1,"x":"${"y".repeat(MAX_KEPT_JSON)}"}`])(
    "reads %j as nothing kept",
    (raw) => expect(parseKeptJson(Schema, raw)).toBeNull(),
  );

  it("reads a value of the schema's shape, unknown keys dropped", () => {
    expect(parseKeptJson(Schema, '{"n":1,"x":2}')).toEqual({ n: 1 });
  });
});
