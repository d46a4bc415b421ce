import { describe, expect, it } from "vitest";
import fc from "fast-check";
import data from "../../content/safety/safety-check.json";
import {
  evaluateSafety,
  getMostSeriousLevel,
  getLevelRank,
  getRedFlagList,
  getRulesVersion,
  isQuestionAsked,
  createSafetyCheckRecord,
} from "./engine";
import { ANSWERS, BODY_AREAS, SAFETY_LEVELS, SafetyRuleSetSchema, SafetyCheckRecordSchema } from "./schema";
import type { Answer, BodyArea, SafetyAnswers, SafetyLevel } from "./schema";

const ruleSet = SafetyRuleSetSchema.parse(data);
const questionIds = ruleSet.questions.map((q) => q.id);

/** Everyone answers "no", except the overrides; skin questions answered yes get the given areas. */
function answersWith(overrides: Record<string, Answer>, areas: Record<string, BodyArea[]> = {}): SafetyAnswers {
  const answers = Object.fromEntries(questionIds.map((id): [string, Answer] => [id, "no"]));
  return { answers: { ...answers, ...overrides }, areas };
}

describe("the rule data", () => {
  it("parses against the documented schema", () => {
    expect(SafetyRuleSetSchema.safeParse(data).success).toBe(true);
  });
  it("gives every rule a source with a readable label", () => {
    for (const rule of ruleSet.rules) {
      const source = ruleSet.sources.find((s) => s.id === rule.sourceId);
      expect(source?.label.length, rule.id).toBeGreaterThan(10);
    }
  });
  it("labels makers' advice plainly as not evidence", () => {
    for (const s of ruleSet.sources.filter((x) => x.kind === "maker")) expect(s.label).toMatch(/not evidence/);
  });
  it("links studies to their evidence page and everything else to the safety guide", () => {
    for (const s of ruleSet.sources) {
      expect(s.href).toMatch(
        s.kind === "study" || s.kind === "trial-exclusion"
          ? /^\/evidence\/studies\/[a-z0-9-]+$/
          : /^\/guides\/acupressure-mat-safety(#[a-z0-9-]+)?$/,
      );
    }
  });
});

describe("every answer all 'no'", () => {
  it("is fine to try, with no findings", () => {
    const result = evaluateSafety(answersWith({}), ruleSet);
    expect(result).toMatchObject({ level: "fine", findings: [], areasOffMat: [] });
  });
});

// One row per rule: which question fires it, the level its source supports, and the source.
// Gated red flags also need back-pain answered yes (added in the test).
const RULE_TABLE = [
  // The trial kept pregnant people out; the overview names pregnancy too.
  ["pregnancy", "see-professional", "nct02487368-exclusions"],
  ["bleeding-disorder", "see-professional", "safety-overview"],
  ["blood-thinners", "see-professional", "safety-overview"],
  ["neuropathy", "see-professional", "safety-overview"],
  ["diabetes-nerves-skin", "see-professional", "safety-overview"],
  // Skin problems keep only the named area off the mat.
  ["wounds", "keep-area-off", "safety-overview"],
  ["skin-infection", "keep-area-off", "safety-overview"],
  ["sunburn", "keep-area-off", "maker-warnings"],
  ["moles", "keep-area-off", "maker-warnings"],
  ["varicose-veins", "keep-area-off", "safety-overview"],
  // Makers' warnings about circulation and seizures: ask first.
  ["thrombosis", "see-professional", "maker-warnings"],
  // Our own caution, asked only of people who want the mat under their feet.
  ["poor-leg-circulation", "see-professional", "feet-reasoning"],
  ["heart", "see-professional", "maker-warnings"],
  // olsson-2011: blood pressure rose on the mat.
  ["high-blood-pressure", "see-professional", "olsson-2011"],
  ["low-blood-pressure", "see-professional", "maker-warnings"],
  ["epilepsy", "see-professional", "maker-warnings"],
  ["fever-illness", "see-professional", "maker-warnings"],
  // Trial exclusion: spinal surgery in the past 12 months.
  ["spinal-surgery", "see-professional", "nct02487368-exclusions"],
  // The trial's other exclusions: no trial data on safety for these people (decision 030).
  ["corticosteroids", "see-professional", "nct02487368-exclusions"],
  ["movement-disorder", "see-professional", "nct02487368-exclusions"],
  ["spinal-deformity", "see-professional", "nct02487368-exclusions"],
  ["severe-mental-illness", "see-professional", "nct02487368-exclusions"],
  // Back-pain red flags: care for the pain itself.
  ["cancer-history", "see-professional", "back-pain-red-flags"],
  ["weight-loss", "see-professional", "back-pain-red-flags"],
  ["back-pain-fever", "see-professional", "back-pain-red-flags"],
  ["saddle-numbness", "see-professional", "back-pain-red-flags"],
  ["bladder-bowel", "see-professional", "back-pain-red-flags"],
  ["leg-weakness", "see-professional", "back-pain-red-flags"],
  ["trauma", "see-professional", "back-pain-red-flags"],
  // Comfort: a gentler start.
  ["skin-sensitivity", "extra-care", "safety-overview"],
  ["pain-tolerance", "extra-care", "safety-overview"],
] as const;

it("the table has a row for every rule in the data, and no more", () => {
  expect(RULE_TABLE.map(([id]) => id as string).sort()).toEqual(ruleSet.rules.map((r) => r.id).sort());
});

describe.each(RULE_TABLE)("rule %s", (id, level: SafetyLevel, sourceId) => {
  const gated = ruleSet.questions.find((q) => q.id === id)?.askedIf;
  const areas: Record<string, BodyArea[]> = { [id]: ["back"] };

  it.each(["yes", "unsure"] as const)("answered %s gives exactly this finding at its level", (answer) => {
    const result = evaluateSafety(answersWith({ [id]: answer, ...(gated ? { [gated]: "yes" } : {}) }, areas), ruleSet);
    expect(result.level).toBe(level);
    expect(result.findings.map((f) => f.ruleId)).toEqual([id]);
    expect(result.findings[0]).toMatchObject({ level, answer, source: { id: sourceId } });
    expect(result.findings[0]?.source.label).toBeTruthy();
  });

  it("answered no gives nothing", () => {
    expect(evaluateSafety(answersWith({ [id]: "no", ...(gated ? { [gated]: "yes" } : {}) }), ruleSet).level).toBe(
      "fine",
    );
  });

  it("left unanswered counts as not sure", () => {
    const input = answersWith(gated ? { [gated]: "yes" } : {}, areas);
    delete input.answers[id];
    expect(evaluateSafety(input, ruleSet).findings.map((f) => f.ruleId)).toEqual([id]);
  });

  if (level === "keep-area-off") {
    it("names the areas given, in head-to-toe order", () => {
      const result = evaluateSafety(answersWith({ [id]: "yes" }, { [id]: ["feet", "back", "feet"] }), ruleSet);
      expect(result.findings[0]?.areas).toEqual(["back", "feet"]);
      expect(result.areasOffMat).toEqual(["back", "feet"]);
    });
  }
  if (gated) {
    it(`is not asked when ${gated} is no`, () => {
      expect(evaluateSafety(answersWith({ [id]: "yes", [gated]: "no" }), ruleSet).level).toBe("fine");
    });
  }
});

interface Combination {
  name: string;
  answers: Record<string, Answer>;
  areas: Record<string, BodyArea[]>;
  level: SafetyLevel;
  ids: string[];
  off: BodyArea[];
}

describe.each<Combination>([
  // Several areas from several skin problems are merged and ordered.
  {
    name: "two skin problems",
    answers: { wounds: "yes", "varicose-veins": "yes" },
    areas: { wounds: ["back"], "varicose-veins": ["legs"] },
    level: "keep-area-off",
    ids: ["wounds", "varicose-veins"],
    off: ["back", "legs"],
  },
  // The more serious finding leads; the other is still listed.
  {
    name: "pregnancy and sunburn",
    answers: { pregnancy: "yes", sunburn: "unsure" },
    areas: { sunburn: ["neck-shoulders"] },
    level: "see-professional",
    ids: ["pregnancy", "sunburn"],
    off: ["neck-shoulders"],
  },
  // Extra care is outranked by an area to keep off.
  {
    name: "sensitive skin and moles",
    answers: { "skin-sensitivity": "yes", moles: "yes" },
    areas: { moles: ["other"] },
    level: "keep-area-off",
    ids: ["moles", "skin-sensitivity"],
    off: ["other"],
  },
  {
    name: "both comfort questions",
    answers: { "skin-sensitivity": "yes", "pain-tolerance": "unsure" },
    areas: {},
    level: "extra-care",
    ids: ["skin-sensitivity", "pain-tolerance"],
    off: [],
  },
  // Back pain alone is no finding; a red flag with it is.
  { name: "back pain, no red flags", answers: { "back-pain": "yes" }, areas: {}, level: "fine", ids: [], off: [] },
  {
    name: "back pain unsure with a red flag",
    answers: { "back-pain": "unsure", "saddle-numbness": "yes" },
    areas: {},
    level: "see-professional",
    ids: ["saddle-numbness"],
    off: [],
  },
  // Findings come most serious first, then in rule order.
  {
    name: "everything at once is ordered",
    answers: { "pain-tolerance": "yes", wounds: "yes", "high-blood-pressure": "unsure", "blood-thinners": "yes" },
    areas: { wounds: ["feet"] },
    level: "see-professional",
    ids: ["blood-thinners", "high-blood-pressure", "wounds", "pain-tolerance"],
    off: ["feet"],
  },
])("combination: $name", ({ answers, areas, level, ids, off }) => {
  it("gives the expected findings and level", () => {
    const result = evaluateSafety(answersWith(answers, areas), ruleSet);
    expect(result.level).toBe(level);
    expect(result.findings.map((f) => f.ruleId)).toEqual(ids);
    expect(result.areasOffMat).toEqual(off);
  });
});

describe("gating", () => {
  it("asks about leg circulation only of people who want the mat under their feet, or are not sure", () => {
    expect(isQuestionAsked("poor-leg-circulation", answersWith({ "feet-on-mat": "no" }), ruleSet)).toBe(false);
    expect(isQuestionAsked("poor-leg-circulation", answersWith({ "feet-on-mat": "unsure" }), ruleSet)).toBe(true);
    expect(evaluateSafety(answersWith({ "feet-on-mat": "yes" }), ruleSet).level).toBe("fine");
  });
  it("asks red flags only when back pain is yes or not sure", () => {
    expect(isQuestionAsked("trauma", answersWith({ "back-pain": "no" }), ruleSet)).toBe(false);
    expect(isQuestionAsked("trauma", answersWith({ "back-pain": "unsure" }), ruleSet)).toBe(true);
    expect(isQuestionAsked("pregnancy", answersWith({}), ruleSet)).toBe(true);
    expect(isQuestionAsked("no-such-question", answersWith({}), ruleSet)).toBe(false);
  });
});

describe("the red-flag list guides render", () => {
  it("is every question a back-pain red flag reads, in question order, in its list words", () => {
    const redFlagQuestions = ruleSet.questions.filter((q) =>
      ruleSet.rules.some((r) => r.question === q.id && r.concern === "pain"),
    );
    expect(getRedFlagList(ruleSet)).toEqual(redFlagQuestions.map((q) => q.listLabel));
    // The notes' red flags, each present once.
    expect(getRedFlagList(ruleSet)).toHaveLength(7);
    for (const word of [
      /cancer/,
      /weight loss/,
      /fever/,
      /numbness/,
      /bladder or bowel/,
      /legs getting weaker/,
      /fall/,
    ])
      expect(getRedFlagList(ruleSet).filter((l) => word.test(l))).toHaveLength(1);
  });
  it("follows the data: a new red-flag rule adds its question to the list", () => {
    const edited = structuredClone(ruleSet);
    edited.questions.push({
      id: "night-pain",
      group: "back-pain",
      askedIf: "back-pain",
      text: "Is the pain worst at night?",
      asksWhere: false,
      listLabel: "pain worst at night",
    });
    edited.rules.push({
      id: "night-pain",
      question: "night-pain",
      level: "see-professional",
      concern: "pain",
      reason: "A made-up rule for this test only.",
      advice: "A made-up piece of advice for this test.",
      sourceId: "back-pain-red-flags",
      moreSourceIds: [],
    });
    expect(getRedFlagList(edited).at(-1)).toBe("pain worst at night");
  });
});

describe("rules version", () => {
  it("starts with the data's version and changes when any text changes", () => {
    const v = getRulesVersion(ruleSet);
    expect(v).toMatch(new RegExp(`^${ruleSet.version.replace(".", "\\.")}\\+[0-9a-f]{12}$`));
    const edited = structuredClone(ruleSet);
    edited.rules[0]!.advice += " Edited.";
    expect(getRulesVersion(edited)).not.toBe(v);
    expect(getRulesVersion(structuredClone(ruleSet))).toBe(v);
  });
  it("is carried by every result", () => {
    expect(evaluateSafety(answersWith({}), ruleSet).rulesVersion).toBe(getRulesVersion(ruleSet));
  });
});

describe("saved-check record", () => {
  it("keeps date, version, level and finding ids, and passes its own schema", () => {
    const result = evaluateSafety(answersWith({ moles: "yes" }, { moles: ["back"] }), ruleSet);
    const record = createSafetyCheckRecord(result, new Date("2026-11-25T10:00:00Z"));
    expect(record).toEqual({
      date: "2026-11-25T10:00:00.000Z",
      rulesVersion: result.rulesVersion,
      level: "keep-area-off",
      findingIds: ["moles"],
      areasOffMat: ["back"],
      professionalAgreed: false,
    });
    expect(SafetyCheckRecordSchema.parse(record)).toEqual(record);
  });
});

describe("levels", () => {
  it.each([
    [[], "fine"],
    [["extra-care", "fine"], "extra-care"],
    [["extra-care", "keep-area-off"], "keep-area-off"],
    [["fine", "see-professional", "extra-care"], "see-professional"],
  ] as const)("most serious of %j is %s", (levels, expected) => {
    expect(getMostSeriousLevel(levels)).toBe(expected);
  });
});

// Property tests: any answers at all, any areas.
const answerArb = fc.constantFrom<Answer>(...ANSWERS);
const inputArb = fc.record({
  answers: fc.record(
    Object.fromEntries(questionIds.map((id) => [id, answerArb])) as Record<string, fc.Arbitrary<Answer>>,
  ),
  areas: fc.record(
    Object.fromEntries(questionIds.map((id) => [id, fc.subarray([...BODY_AREAS])])) as Record<
      string,
      fc.Arbitrary<BodyArea[]>
    >,
  ),
});

describe("properties", () => {
  it("the overall level is always the most serious finding's level", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = evaluateSafety(input, ruleSet);
        const worst = result.findings.reduce(
          (best, f) => Math.min(best, getLevelRank(f.level)),
          SAFETY_LEVELS.indexOf("fine"),
        );
        expect(getLevelRank(result.level)).toBe(worst);
        // Findings are listed most serious first.
        const ranks = result.findings.map((f) => getLevelRank(f.level));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });

  it("changing any answer from no to yes or not sure never lowers the level or drops a finding", () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom(...questionIds),
        fc.constantFrom<Answer>("yes", "unsure"),
        (input, id, raised) => {
          const before = evaluateSafety({ ...input, answers: { ...input.answers, [id]: "no" } }, ruleSet);
          const after = evaluateSafety({ ...input, answers: { ...input.answers, [id]: raised } }, ruleSet);
          expect(getLevelRank(after.level)).toBeLessThanOrEqual(getLevelRank(before.level));
          const afterIds = new Set(after.findings.map((f) => f.ruleId));
          for (const f of before.findings) expect(afterIds.has(f.ruleId)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("'not sure' always gives the same level as 'yes'", () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...questionIds), (input, id) => {
        const yes = evaluateSafety({ ...input, answers: { ...input.answers, [id]: "yes" } }, ruleSet);
        const unsure = evaluateSafety({ ...input, answers: { ...input.answers, [id]: "unsure" } }, ruleSet);
        expect(unsure.level).toBe(yes.level);
        expect(unsure.findings.map((f) => f.ruleId)).toEqual(yes.findings.map((f) => f.ruleId));
      }),
      { numRuns: 300 },
    );
  });
});
