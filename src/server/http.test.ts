import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formToObject } from "./forms";
import { parseForm } from "./http";

const form = (pairs: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of pairs) f.append(k, v);
  return f;
};

const PROTOTYPE_KEYS = [
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__proto__",
  "isPrototypeOf",
  "__defineGetter__",
];

describe("formToObject", () => {
  it("keeps fields in order and makes a repeated name an array", () => {
    expect({
      ...formToObject(
        form([
          ["a", "1"],
          ["b", "2"],
          ["a", "3"],
        ]),
      ),
    }).toEqual({ a: ["1", "3"], b: "2" });
  });

  it.each(PROTOTYPE_KEYS)("treats a field named %s as a plain field, sent once or twice", (key) => {
    const once = formToObject(form([[key, "x"]]));
    expect(Object.getPrototypeOf(once)).toBeNull();
    expect(Object.keys(once)).toEqual([key]);
    expect(once[key]).toBe("x");
    const twice = formToObject(
      form([
        [key, "x"],
        [key, "y"],
      ]),
    );
    expect(Object.getPrototypeOf(twice)).toBeNull();
    expect(twice[key]).toEqual(["x", "y"]);
    // Nothing leaks into other objects.
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined();
  });

  it("gives a schema the same answer with or without prototype-named fields beside the real ones", async () => {
    const schema = z.object({ name: z.string() });
    const extra = PROTOTYPE_KEYS.flatMap((k): [string, string][] => [
      [k, "x"],
      [k, "y"],
    ]);
    const request = (pairs: [string, string][]) => new Request("http://x/", { method: "POST", body: form(pairs) });
    await expect(parseForm(request([["name", "Ann"], ...extra]), schema)).resolves.toEqual({ name: "Ann" });
    await expect(parseForm(request([...extra]), schema)).rejects.toMatchObject({ issues: { name: ["Required"] } });
  });
});
