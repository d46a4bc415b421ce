import { describe, expect, it } from "vitest";
import {
  findBannedClaims,
  findFreeTextCertainty,
  getCitationOrder,
  getMarkerProblems,
  getReadingMinutes,
  GuideFrontmatterSchema,
  parseMarkers,
} from "./guide";

const ctx = {
  citable: new Set(["kjellgren-2011", "kisker-2023", "li-2021"]),
  levels: { sleep: "very-low", headache: "no-controlled-evidence" } as const,
  lists: { "red-flags": ["fever"] },
};

describe("parseMarkers", () => {
  it.each([
    ["[[cite:kjellgren-2011]]", { kind: "cite", ids: ["kjellgren-2011"] }],
    // Spaces after commas are allowed.
    ["[[cite:kjellgren-2011, kisker-2023]]", { kind: "cite", ids: ["kjellgren-2011", "kisker-2023"] }],
    ["[[certainty:sleep=very-low]]", { kind: "certainty", area: "sleep", level: "very-low" }],
    ["[[list:red-flags]]", { kind: "list", name: "red-flags" }],
  ])("%s", (text, expected) => {
    const { markers, problems } = parseMarkers(text);
    expect(problems).toEqual([]);
    expect(markers[0]).toMatchObject(expected);
  });

  it.each([
    // A typo in the marker name is reported, never printed as text.
    ["[[cit:kjellgren-2011]]", /not a marker/],
    ["[[cite:Kjellgren 2011]]", /kebab-case/],
    ["[[certainty:insomnia=low]]", /unknown area 'insomnia'/],
    ["[[certainty:sleep=weak]]", /unknown level 'weak'/],
  ])("%s is a problem", (text, message) => {
    expect(parseMarkers(text).problems[0]?.message).toMatch(message);
  });
});

describe("getMarkerProblems against the data", () => {
  it.each([
    ["[[cite:kjellgren-2011]] and [[cite:li-2021]]", []],
    ["[[cite:smith-2020]]", [/unknown study or grey item 'smith-2020'/]],
    ["[[certainty:sleep=very-low]]", []],
    ["[[certainty:sleep=low]]", [/grades 'sleep' as 'very-low', not 'low'/]],
    ["[[certainty:fibromyalgia=no-controlled-evidence]]", [/no data file/]],
    ["Before.\n\n[[list:red-flags]]\n\nAfter.", []],
    ["[[list:stop-signs]]", [/unknown list 'stop-signs'/]],
    // A whole list cannot sit inside a sentence.
    ["See [[list:red-flags]] here.", [/must stand alone on its line/]],
  ] as const)("%s", (text, expected) => {
    const problems = getMarkerProblems(text, ctx).map((p) => p.message);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });
});

describe("getCitationOrder numbers ids by first appearance", () => {
  it("dedupes and keeps order", () => {
    expect(getCitationOrder("a [[cite:b-1]] c [[cite:a-1,b-1]] [[cite:c-1]] [[cite:a-1]]")).toEqual([
      "b-1",
      "a-1",
      "c-1",
    ]);
  });
});

describe("findFreeTextCertainty", () => {
  it.each([
    ["The evidence is of low certainty.", true],
    ["This rests on very-low-certainty evidence.", true],
    ["Certainty is moderate for this.", true],
    ["There is high quality evidence.", true],
    ["There is no controlled evidence for headache.", true],
    // Inside a marker it is fine: the build checks it against the data.
    ["[[certainty:sleep=low]]", false],
    ["People with low pain tolerance may find it hard.", false],
    ["We are not certain it helps.", false],
  ])("%s -> %s", (text, flagged) => {
    expect(findFreeTextCertainty(text).length > 0).toBe(flagged);
  });
});

describe("findBannedClaims", () => {
  it.each([
    ["A mat can cure back pain.", ["cure"]],
    ["Clinically proven relief!", ["Clinically proven"]],
    ["Results guaranteed.", ["guaranteed"]],
    ["It is proven.", ["proven"]],
    // Words that merely contain the letters are fine.
    ["Secure the mat; unproven claims abound; curious.", []],
  ])("%s", (text, found) => expect(findBannedClaims(text)).toEqual(found));
});

describe("getReadingMinutes", () => {
  it.each([
    ["", 1],
    [Array(200).fill("word").join(" "), 1],
    [Array(201).fill("word").join(" "), 2],
    // Markers, link targets and markdown syntax are not words.
    [`${Array(200).fill("word").join(" ")} [[cite:kisker-2023]] [x](/guides/a-b-c) ## #`, 2],
  ])("%#", (text, minutes) => expect(getReadingMinutes(text)).toBe(minutes));
});

describe("GuideFrontmatterSchema", () => {
  it("accepts the writer's frontmatter and coerces the date", () => {
    const r = GuideFrontmatterSchema.parse({
      title: "Acupressure mats: what the research shows",
      description: "An honest guide to research on acupressure mats: what the trials found and what not.",
      lastReviewed: "2026-11-25",
      order: 1,
      related: ["acupressure-mat-safety"],
    });
    expect(r.lastReviewed.toISOString().slice(0, 10)).toBe("2026-11-25");
  });
  it("refuses unknown fields", () => {
    expect(
      GuideFrontmatterSchema.safeParse({
        title: "A title long enough",
        description: "x".repeat(50),
        lastReviewed: "2026-11-25",
        order: 1,
        certainty: "low",
      }).success,
    ).toBe(false);
  });
});
