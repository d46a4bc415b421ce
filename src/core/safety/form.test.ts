import { describe, expect, it } from "vitest";
import data from "../../content/safety/safety-check.json";
import { createSafetyFormSchema, getSafetyFormFields, getWhereFieldName } from "./form";
import { SafetyRuleSetSchema } from "./schema";

const ruleSet = SafetyRuleSetSchema.parse(data);
const schema = createSafetyFormSchema(ruleSet);

/** A complete, valid form: "no" everywhere (so the red flags are skipped), plus overrides. */
function form(overrides: Record<string, string | string[] | undefined> = {}): Record<string, string | string[]> {
  const base: Record<string, string | string[] | undefined> = Object.fromEntries(
    ruleSet.questions.filter((q) => !q.askedIf).map((q) => [q.id, "no"]),
  );
  const merged = { ...base, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string | string[]] => e[1] !== undefined));
}

function issues(value: Record<string, string | string[]>): Record<string, string[]> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of result.error.issues) (out[i.path.join(".")] ??= []).push(i.message);
  return out;
}

describe("valid forms", () => {
  it("accepts all 'no' without red-flag answers, since they are not asked", () => {
    const parsed = schema.parse(form());
    expect(parsed.answers["pregnancy"]).toBe("no");
    expect(parsed.answers["trauma"]).toBeUndefined();
  });
  it("ignores red-flag answers when back pain is 'no'", () => {
    expect(schema.parse(form({ trauma: "yes" })).answers["trauma"]).toBeUndefined();
  });
  it("reads one or several areas", () => {
    const parsed = schema.parse(
      form({
        wounds: "yes",
        [getWhereFieldName("wounds")]: ["back", "feet"],
        moles: "unsure",
        [getWhereFieldName("moles")]: "other",
      }),
    );
    expect(parsed.areas).toEqual({ wounds: ["back", "feet"], moles: ["other"] });
  });
  it("drops areas given for a skin question answered 'no'", () => {
    expect(schema.parse(form({ [getWhereFieldName("sunburn")]: "back" })).areas).toEqual({});
  });
  it("round-trips through form fields", () => {
    const parsed = schema.parse(
      form({
        "back-pain": "yes",
        ...Object.fromEntries(ruleSet.questions.filter((q) => q.askedIf).map((q) => [q.id, "unsure"])),
        sunburn: "yes",
        [getWhereFieldName("sunburn")]: "legs",
      }),
    );
    const fields: Record<string, string | string[]> = {};
    for (const [k, v] of getSafetyFormFields(parsed)) {
      const prev = fields[k];
      fields[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    expect(schema.parse(fields)).toEqual(parsed);
  });
});

describe.each([
  // [what is wrong, form, field that must carry a message]
  ["a missing answer", form({ pregnancy: undefined }), "pregnancy"],
  ["an answer outside the three", form({ heart: "maybe" }), "heart"],
  ["a skin problem without a place", form({ wounds: "yes" }), "wounds-where"],
  ["a not-sure skin problem without a place", form({ "varicose-veins": "unsure" }), "varicose-veins-where"],
  ["a place that is not in the list", form({ sunburn: "yes", "sunburn-where": "elbow" }), "sunburn-where"],
  ["back pain yes but a red flag unanswered", form({ "back-pain": "yes" }), "saddle-numbness"],
  ["no answers at all", {}, "epilepsy"],
] as const)("rejects %s", (_name, value, field) => {
  it(`with a message on '${field}'`, () => {
    const found = issues(value);
    expect(found[field]?.[0]).toMatch(/Please/);
  });
});

it("asks nothing about red flags while back pain itself is unanswered", () => {
  const found = issues(form({ "back-pain": undefined }));
  expect(Object.keys(found)).toEqual(["back-pain"]);
});
