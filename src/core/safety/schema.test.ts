import { describe, expect, it } from "vitest";
import data from "../../content/safety/safety-check.json";
import { SafetyRuleSetSchema } from "./schema";

/** A copy of the real data with one change applied. */
type Data = typeof data;

function edited(change: (d: Data) => void): unknown {
  const copy = structuredClone(data);
  change(copy);
  return copy;
}

function messages(value: unknown): string[] {
  const result = SafetyRuleSetSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe.each<[string, (d: Data) => void, string]>([
  // Each row breaks the data in one way and names the words the fix-it message must contain.
  [
    "a rule citing a missing source",
    (d: Data): void => {
      d.rules[0]!.sourceId = "nowhere";
    },
    "cites source 'nowhere'",
  ],
  [
    "a rule reading a missing question",
    (d: Data): void => {
      d.rules[0]!.question = "nothing";
    },
    "reads question 'nothing'",
  ],
  [
    "two rules with one id",
    (d: Data): void => {
      d.rules[1]!.id = d.rules[0]!.id;
    },
    "is used twice",
  ],
  [
    "a question in a missing group",
    (d: Data): void => {
      d.questions[0]!.group = "elsewhere";
    },
    "names group 'elsewhere'",
  ],
  [
    "an area rule on a question that does not ask where",
    (d: typeof data) => (d.rules.find((r) => r.id === "pregnancy")!.level = "keep-area-off"),
    'Set "asksWhere": true',
  ],
  [
    "a red flag below see-professional",
    (d: Data): void => {
      d.rules.find((r) => r.id === "trauma")!.level = "extra-care";
    },
    "red flag",
  ],
  [
    "a question no rule reads",
    (d: Data): void =>
      void d.questions.push({ id: "orphan", group: "comfort", text: "Is this question read by anything?" }),
    "No rule reads question 'orphan'",
  ],
  [
    "a gate that comes later",
    (d: Data): void => {
      d.questions[0] = { ...d.questions[0]!, askedIf: "pain-tolerance" } as (typeof d.questions)[number];
    },
    "which comes later",
  ],
  [
    "a badly written version",
    (d: Data): void => {
      d.version = "v1";
    },
    "date.number",
  ],
  [
    "a source path that is not a site path",
    (d: Data): void => {
      d.sources[0]!.href = "https://example.org";
    },
    "site path",
  ],
  [
    "a red flag without list words",
    (d: Data): void => {
      delete (d.questions.find((q) => q.id === "weight-loss") as { listLabel?: string }).listLabel;
    },
    'give it a "listLabel"',
  ],
  [
    "a level of 'fine' on a rule",
    (d: Data): void => {
      d.rules[0]!.level = "fine";
    },
    "",
  ],
])("the schema rejects %s", (_name, change, expected) => {
  it("with a message that says how to fix it", () => {
    const found = messages(edited(change));
    expect(found.length).toBeGreaterThan(0);
    if (expected) expect(found.join("\n")).toContain(expected);
  });
});
