import { describe, expect, it } from "vitest";
import { gradeArea, getEvidenceProblems, getLevelLabel, IMPRECISION_SERIOUS_N, IMPRECISION_VERY_SERIOUS_N } from "./grade";
import { AreaSchema, StudySchema, type Area, type Design, type Direction, type Entry, type Study } from "./schema";

interface Fx {
  id: string;
  design?: Design;
  n?: number | null;
  direction?: Direction | Direction[];
  comparison?: "between-groups" | "within-group";
  measuredBy?: "self-report" | "instrument";
  healthy?: boolean;
  blinding?: Study["blinding"];
}

/** A minimal valid study; outcomes are named o0, o1, ... */
function study(f: Fx): Entry<Study> {
  const dirs = Array.isArray(f.direction) ? f.direction : [f.direction ?? "improved"];
  const design = f.design ?? "randomized-inactive-control";
  const data = StudySchema.parse({
    citation: `Author A. A test study called ${f.id}. Journal 2020;1:1-2.`,
    title: `Test study ${f.id}`,
    shortName: `Test ${f.id}`,
    year: 2020,
    design,
    control: design === "randomized-active-control" ? "relaxation without a mat" : "waiting list",
    blinding: f.blinding ?? "open-label",
    population: f.healthy ? { kind: "healthy-volunteers", description: "healthy adults" } : { kind: "patients", description: "adults with low back pain", conditions: ["chronic-low-back-pain"] },
    nAnalysed: f.n === undefined ? 50 : f.n,
    dose: { minutesPerSession: 20, sessionsPerWeek: 7, weeks: 2 },
    outcomes: dirs.map((d, i) => ({ id: `o${i}`, measure: `measure ${i}`, direction: d, comparison: f.comparison ?? (design === "single-arm" ? "within-group" : "between-groups"), measuredBy: f.measuredBy ?? "self-report", detail: "a test" })),
    summary: "A study made up for a unit test of the grading rules.",
  });
  return { id: f.id, data };
}

function area(studies: Entry<Study>[], population: Area["population"] = ["chronic-low-back-pain"], safetySignal = false): Entry<Area> {
  return {
    id: "test-area",
    data: AreaSchema.parse({
      title: "Test area",
      order: 1,
      description: "An area made up for a unit test.",
      safetySignal,
      population,
      outcomes: studies.flatMap((s) => s.data.outcomes.map((o) => ({ study: s.id, outcome: o.id }))),
    }),
  };
}

const grade = (studies: Entry<Study>[], population?: Area["population"]) => gradeArea(area(studies, population), studies);

describe("gradeArea: levels from tables of made-up studies", () => {
  it.each([
    // Nothing at all: nothing to grade.
    { name: "no studies", studies: [], level: "no-controlled-evidence" },
    // Uncontrolled data alone never reaches a graded level, however large.
    { name: "single-arm only", studies: [study({ id: "a", design: "single-arm", n: 1000 })], level: "no-controlled-evidence" },
    // Large, blinded, active-controlled, consistent, direct: stays high.
    {
      name: "ideal body of evidence",
      studies: [study({ id: "a", design: "randomized-active-control", n: 300, blinding: "participant-blinded" }), study({ id: "b", design: "randomized-active-control", n: 300, blinding: "participant-blinded" })],
      level: "high",
    },
    // Same, but open label with self-report: one step down.
    { name: "ideal but unblinded", studies: [study({ id: "a", design: "randomized-active-control", n: 300 }), study({ id: "b", design: "randomized-active-control", n: 300 })], level: "moderate" },
    // Objective outcomes make the lack of blinding matter less.
    { name: "unblinded, instrument outcomes", studies: [study({ id: "a", design: "randomized-active-control", n: 300, measuredBy: "instrument" }), study({ id: "b", design: "randomized-active-control", n: 300, measuredBy: "instrument" })], level: "high" },
    // Waiting-list controls and no blinding: two steps for risk of bias.
    { name: "large, inactive control, unblinded", studies: [study({ id: "a", n: 300 }), study({ id: "b", n: 300 })], level: "low" },
    // Add imprecision (total 160 < 400): very low.
    { name: "small, inactive control, unblinded", studies: [study({ id: "a", n: 80 }), study({ id: "b", n: 80 })], level: "very-low" },
    // Blinded, active control, but 2 x 40 = 80 < 100: very serious imprecision.
    { name: "tiny but otherwise clean", studies: [study({ id: "a", design: "randomized-active-control", n: 40, blinding: "participant-blinded" }), study({ id: "b", design: "randomized-active-control", n: 40, blinding: "participant-blinded" })], level: "low" },
    // A single trial is very serious imprecision whatever its size.
    { name: "one big clean trial", studies: [study({ id: "a", design: "randomized-active-control", n: 2000, blinding: "participant-blinded" })], level: "low" },
    // Results pointing different ways cost a step.
    { name: "inconsistent", studies: [study({ id: "a", design: "randomized-active-control", n: 300, blinding: "participant-blinded", direction: "improved" }), study({ id: "b", design: "randomized-active-control", n: 300, blinding: "participant-blinded", direction: "no-difference" })], level: "moderate" },
    // Healthy volunteers for a patient question cost a step.
    { name: "indirect", studies: [study({ id: "a", design: "randomized-active-control", n: 300, blinding: "participant-blinded", healthy: true }), study({ id: "b", design: "randomized-active-control", n: 300, blinding: "participant-blinded", healthy: true })], level: "moderate" },
    // Everything wrong: the floor is very low, never below.
    { name: "everything wrong", studies: [study({ id: "a", n: 10, healthy: true, direction: ["improved", "no-difference"] })], level: "very-low" },
  ] as const)("$name -> $level", ({ studies, level }) => {
    expect(grade([...studies]).level).toBe(level);
  });
});

describe("gradeArea: reasons readers see", () => {
  it("names every domain, with the starting point first", () => {
    const g = grade([study({ id: "a", n: 80 }), study({ id: "b", n: 80 })]);
    expect(g.reasons.map((r) => r.domain)).toEqual(["design", "risk-of-bias", "imprecision", "inconsistency", "indirectness"]);
    expect(g.reasons[1]?.text).toMatch(/no blinding/);
    expect(g.reasons[1]?.text).toMatch(/no active control/);
    expect(g.reasons[2]?.text).toMatch(/160 participants/);
  });

  it("counts within-group results from a randomized trial as uncontrolled", () => {
    const g = grade([study({ id: "a", comparison: "within-group" })]);
    expect(g.level).toBe("no-controlled-evidence");
    expect(g.uncontrolledStudies).toEqual(["a"]);
  });

  it("reports an unknown sample size as a lower bound, never a guess", () => {
    const g = grade([study({ id: "a", n: 40 }), study({ id: "b", n: null })]);
    expect(g.participants).toBe(40);
    expect(g.participantsComplete).toBe(false);
    expect(g.reasons.find((r) => r.domain === "imprecision")?.text).toMatch(/did not report/);
  });

  it("makes a null active-control trial visible as a finding", () => {
    const g = grade([study({ id: "act", design: "randomized-active-control", direction: "no-difference" }), study({ id: "wl", direction: "improved" })]);
    expect(g.findings.join(" ")).toMatch(/only trial with an active control \(act.*no advantage for the mat/);
  });

  it.each([
    [IMPRECISION_VERY_SERIOUS_N - 1, 2],
    [IMPRECISION_VERY_SERIOUS_N, 1],
    [IMPRECISION_SERIOUS_N - 1, 1],
    [IMPRECISION_SERIOUS_N, 0],
  ])("total n %i costs %i step(s) for imprecision", (n, steps) => {
    const g = grade([study({ id: "a", n: n - 1 - Math.floor((n - 1) / 2) }), study({ id: "b", n: Math.floor((n - 1) / 2) + 1 })]);
    expect(g.participants).toBe(n);
    expect(g.reasons.find((r) => r.domain === "imprecision")?.change).toBe(steps);
  });
});

describe("getEvidenceProblems", () => {
  it.each([
    { name: "unknown study", ref: { study: "nope", outcome: "o0" }, match: /unknown study 'nope'/ },
    { name: "unknown outcome", ref: { study: "a", outcome: "o9" }, match: /does not have/ },
  ])("$name", ({ ref, match }) => {
    const a = area([]);
    a.data.outcomes.push(ref);
    expect(getEvidenceProblems([study({ id: "a" })], [a]).join("\n")).toMatch(match);
  });
  it("refuses an id used by a study and a grey item", () => {
    expect(getEvidenceProblems([study({ id: "a" })], [], ["a"])).toHaveLength(1);
  });
});

describe("getLevelLabel", () => {
  it.each([
    ["very-low", "very low"],
    ["no-controlled-evidence", "no controlled evidence"],
    ["high", "high"],
  ] as const)("%s -> %s", (level, label) => expect(getLevelLabel(level)).toBe(label));
});

describe("StudySchema messages say how to fix the data", () => {
  it("refuses a between-group result in a single-arm study", () => {
    const r = StudySchema.safeParse({ ...study({ id: "a", design: "single-arm" }).data, outcomes: [{ id: "x", measure: "pain", direction: "improved", comparison: "between-groups", measuredBy: "self-report", detail: "made up" }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/set comparison to "within-group"/);
  });
  it("refuses a DOI with its URL prefix", () => {
    const r = StudySchema.safeParse({ ...study({ id: "a" }).data, doi: "https://doi.org/10.1/x" });
    expect(r.success).toBe(false);
  });
});
