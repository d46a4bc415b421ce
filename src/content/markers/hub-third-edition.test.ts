/**
 * Content checks for the third edition of the evidence hub (issue 26): each test names its item
 * and fails on the second edition's text.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getTrialRows } from "../../core/evidence/chart";
import { describeAreaDirection, getAreaResults, LEVEL_MEANINGS, LEVEL_MEANINGS_HREF } from "../../core/evidence/grade";
import { CERTAINTY_LEVELS } from "../../core/evidence/schema";
import { getTrialExclusionList } from "../../core/safety/engine";
import { LEVEL_TEXT } from "../../core/safety/labels";
import { SafetyRuleSetSchema } from "../../core/safety/schema";
import safetyJson from "../safety/safety-check.json";
import { CONTENT_DIR, loadEvidence } from "./load-evidence";

const dir = join(CONTENT_DIR, "guides");
const guides = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .map((f) => [f.replace(/\.md$/, ""), readFileSync(join(dir, f), "utf8")]),
);
const guide = (slug: string): string => guides[slug] ?? "";
const data = loadEvidence();
const study = (id: string) => data.studies.find((s) => s.id === id)!.data;
const ruleSet = SafetyRuleSetSchema.parse(safetyJson);
const paragraphs = (text: string): string[] => text.split(/\n\s*\n|\n(?=- )/);
const sentences = (text: string): string[] => text.split(/(?<=[.!?])\s+|\n/);

describe("item 3: a null within one group has its own mark", () => {
  it("Saha's unchanged pain and its improved disability are drawn differently", () => {
    const area = data.areas.find((a) => a.id === "back-neck-pain")!;
    const saha = getTrialRows(getAreaResults(area, data.studies), data.studies).find((r) => r.study === "saha-2016")!;
    const markOf = (re: RegExp) => saha.results.find((r) => re.test(r.measure))?.mark;
    expect(markOf(/^pain intensity/)).toBe("one-group-null");
    expect(markOf(/disability/)).toBe("one-group");
  });
});

describe("item 4: the safety guide claims no more than the check asks", () => {
  const text = guide("acupressure-mat-safety");
  it("lists the exclusions the check asks about from the rules, with what the check says", () => {
    expect(text).toContain("[[list:trial-exclusions]]");
    expect(text).not.toMatch(/asks about each of them and suggests/i);
    const list = getTrialExclusionList(ruleSet);
    expect(list.some((i) => /skin infection.*keep that area off the mat/.test(i))).toBe(true);
    expect(list.some((i) => /pregnancy: see a professional first/.test(i))).toBe(true);
  });
  it("says that recent acupuncture is not asked, and why", () => {
    expect(ruleSet.questions.some((q) => /acupuncture/i.test(q.text))).toBe(false);
    expect(text).toMatch(/does not ask about recent acupuncture\. The trial record gives no reason/);
  });
});

describe("item 5: Kisker is never worded as equal benefit", () => {
  it.each(Object.keys(guides))("%s", (slug) => {
    expect(guide(slug)).not.toMatch(/just as (much|well)|worked as well/i);
  });
  it("the sleep guide says both groups improved and no difference was found", () => {
    expect(guide("acupressure-mats-and-sleep")).toMatch(
      /improved both in the mat group and in a group that practised relaxation without a mat, and the trial found no difference/,
    );
  });
});

describe("item 6: every level is explained and paired with a direction", () => {
  it.each([...CERTAINTY_LEVELS])("%s has one plain sentence", (level) => {
    expect(LEVEL_MEANINGS[level]).toMatch(/^[A-Z][^.]*[:;][^]*\.$/);
  });
  it("the evidence page lists the meanings under #certainty-levels and pairs each level with its direction", () => {
    // Whitespace collapsed: the formatter may wrap the markup anywhere.
    const page = readFileSync(join(CONTENT_DIR, "..", "pages", "evidence", "index.astro"), "utf8").replace(/\s+/g, " ");
    expect(LEVEL_MEANINGS_HREF).toBe("/evidence/#certainty-levels");
    expect(page).toContain('<h2 id="certainty-levels">');
    expect(page).toMatch(
      /<CertaintyBadge level=\{g\.level\} \/>[^<]*(<\/>)?[^<]*<span class="direction"> ?\{direction\}/,
    );
  });
  it("the direction follows the graded results", () => {
    const dirOf = (id: string) => {
      const area = data.areas.find((a) => a.id === id)!;
      return describeAreaDirection(
        data.grades.find((g) => g.area === id)!.level,
        getAreaResults(area, data.studies),
        area.data.safetySignal,
      );
    };
    expect(dirOf("sleep")).toBe("Small trials found no difference from the comparison; we are very unsure.");
    expect(dirOf("back-neck-pain")).toMatch(
      /some improvement on some measures and no difference on others; we are very unsure/,
    );
    expect(dirOf("headache")).toMatch(/nothing to grade/);
  });
});

describe("item 7: the Olsson record reads the notes one way throughout", () => {
  const o = study("olsson-2011");
  it("names the conditions without the mat, as its between-group results need", () => {
    expect(o.control).not.toMatch(/do not spell out|not say which/);
    expect(o.control).toMatch(/with or without the mat/);
    expect(o.outcomes.filter((x) => x.comparison === "between-groups").map((x) => x.id)).toEqual([
      "heart-rate",
      "hf-hrv",
      "back-circulation",
      "blood-pressure",
      "cortisol",
    ]);
    expect(o.outcomes.find((x) => x.id === "relaxation")?.detail).toMatch(/with the mat and without it/);
  });
});

describe("item 8: no unsourced statements", () => {
  it("the safety check and its labels do not say most people are hurt or how long redness lasts", () => {
    const all = JSON.stringify(safetyJson) + JSON.stringify(LEVEL_TEXT);
    expect(all).not.toMatch(/hurts for most people|the usual few minutes/);
  });
  it("rounded tips are the makers' word, not a fact", () => {
    for (const s of sentences(guide("how-to-choose-an-acupressure-mat")).filter((x) => /rounded tips feel/i.test(x)))
      expect(s).toMatch(/makers say/i);
  });
  it("Saha's sizes are not invented", () => {
    expect(study("saha-2016").summary).not.toMatch(/a little|slightly/);
    expect(guide("acupressure-mats-for-back-and-neck-pain")).not.toMatch(/improved slightly/);
  });
  it("no site is given for the back trial's pressure threshold", () => {
    for (const slug of ["acupressure-mats-for-back-and-neck-pain", "what-the-research-shows"]) {
      for (const s of sentences(guide(slug)).filter((x) => x.includes("hohmann-2012-back")))
        expect(s).not.toMatch(/sore spot|sore area/);
    }
  });
});

describe("item 9: the personal experiment is not oversold", () => {
  const experiments = readFileSync(join(CONTENT_DIR, "..", "pages", "experiments", "index.astro"), "utf8").replace(
    /\s+/g,
    " ",
  );
  it.each([...Object.keys(guides), "experiments page"])("%s", (slug) => {
    const text = slug === "experiments page" ? experiments : guide(slug);
    expect(text).not.toMatch(/more than any trial|separates the effect of the spikes|answers whether the spikes add/i);
  });
  it("says what expectation does to it", () => {
    expect(guide("what-the-research-shows")).toMatch(/cannot be blinded/);
    expect(experiments).toMatch(/cannot tell the spikes apart from what you expect/);
  });
});

describe("item 10: dose ranges say how many trials report a dose", () => {
  it.each(Object.keys(guides))("%s gives no range as if every trial had one", (slug) => {
    expect(guide(slug)).not.toMatch(/trials used (anything from )?\d+/i);
  });
  it("the count matches the data", () => {
    const stated = data.studies.filter((s) => s.data.dose.minutesPerSession !== null).length;
    const words = ["none", "one", "two", "three", "four", "five", "six", "seven"];
    for (const slug of ["acupressure-mat-safety", "what-the-research-shows"])
      expect(guide(slug)).toContain(
        `${words[stated]} of the ${words[data.studies.length]} trials state a session length`,
      );
  });
});

describe("item 12: the dropout figure says whose it is", () => {
  it.each(Object.keys(guides))("%s", (slug) => {
    for (const p of paragraphs(guide(slug)).filter((x) => /8 of 91|one (person )?in eleven/.test(x)))
      expect(p).toMatch(/30 minutes a day/);
  });
  it("the safety check's source note too", () => {
    for (const s of ruleSet.sources.filter((x) => /8 of 91|one in eleven/.test(x.note ?? "")))
      expect(s.note).toMatch(/30 minutes a day/);
  });
});

describe("item 13: each finding is said once per guide", () => {
  const findings = {
    "the dropout figure": /8 of 91|one (person )?in eleven|about 9 %/i,
    "the sting's timing": /half[- ]minute|30 seconds/i,
    "back circulation": /blood flow/i,
  };
  it.each(Object.keys(guides))("%s", (slug) => {
    for (const [name, re] of Object.entries(findings))
      expect(paragraphs(guide(slug)).filter((p) => re.test(p)).length, name).toBeLessThanOrEqual(1);
  });
});

describe("item 14: 'What to expect' says no study looked at risks", () => {
  it("the pillar's box", () => {
    const box = /<aside class="callout expect"[\s\S]*?<\/aside>/.exec(guide("what-the-research-shows"))?.[0] ?? "";
    expect(box).toMatch(/No study set out to examine the risks/);
  });
});
