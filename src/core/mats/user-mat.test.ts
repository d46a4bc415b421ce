import { describe, expect, it } from "vitest";
import { MatSchema } from "./schema";
import { ownMatId, parseOwnMatId, toCatalogueMat, UserMatFormSchema } from "./user-mat";

const issues = (input: Record<string, string>) => {
  const r = UserMatFormSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("a person's own mat", () => {
  it.each([
    // form fields, fields that must be reported
    [{ name: "Blue mat" }, []],
    [{ name: "Blue mat", spikeCount: "6,210", lengthMm: "740", widthMm: "400" }, []],
    [{ name: "B" }, ["name"]],
    [{ name: "Blue mat", spikeCount: "lots" }, ["spikeCount"]],
    [{ name: "Blue mat", spikeCount: "-5" }, ["spikeCount"]],
    [{ name: "Blue mat", spikeCount: "6210.5" }, ["spikeCount"]],
    [{ name: "Blue mat", lengthMm: "740" }, ["widthMm"]],
    [{ name: "Blue mat", lengthMm: "300", widthMm: "400" }, ["widthMm"]],
    [{ name: "Blue mat", lengthMm: "99999", widthMm: "400" }, ["lengthMm"]],
  ])("%j reports %j", (input, fields) => {
    expect(issues(input)).toEqual(fields);
  });

  it("joins the catalogue's shape and passes the catalogue schema", () => {
    const input = UserMatFormSchema.parse({
      name: "Blue mat",
      spikeCount: "6210",
      lengthMm: "740",
      widthMm: "400",
      note: "",
    });
    const mat = toCatalogueMat({ id: "x", ...input });
    expect(MatSchema.safeParse(mat).success).toBe(true);
    expect(mat.spikeCount.basis).toBe("owner");
    expect(mat.cover.basis).toBeNull();
  });

  it("an own mat with unknown figures is still a valid mat", () => {
    const mat = toCatalogueMat({ id: "x", ...UserMatFormSchema.parse({ name: "Old mat" }) });
    expect(MatSchema.safeParse(mat).success).toBe(true);
    expect(mat.size.lengthMm).toBeNull();
  });

  it("a catalogue entry may not claim figures entered by an owner", () => {
    const mat = {
      ...toCatalogueMat({ id: "x", ...UserMatFormSchema.parse({ name: "Blue mat", spikeCount: "100" }) }),
      kind: "product" as const,
      maker: "Someone",
    };
    expect(MatSchema.safeParse(mat).success).toBe(false);
  });

  it("round-trips its id", () => {
    expect(parseOwnMatId(ownMatId("abc"))).toBe("abc");
    expect(parseOwnMatId("shakti-original")).toBeNull();
  });
});
