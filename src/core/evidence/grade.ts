/**
 * Rule-based certainty grading in the spirit of GRADE: start from the best design present in an
 * outcome area, then step down for risk of bias, imprecision, inconsistency and indirectness.
 * No grade is typed by hand; every step produces a reason that readers see.
 * @see docs/decisions/020-evidence-grading.md
 * @see Guyatt GH, et al. GRADE guidelines. J Clin Epidemiol 2011;64(4):383-394 (and the series that follows)
 */
import { BETWEEN_GROUP_LABELS, CONDITION_LABELS, countWords, getResultLabel, listWords, type Domain } from "./labels";
import {
  CERTAINTY_LEVELS,
  LIMITATION_KINDS,
  RANDOMIZED_DESIGNS,
  type Area,
  type CertaintyLevel,
  type Direction,
  type Entry,
  type LimitationKind,
  type Outcome,
  type Study,
  type WithinGroups,
} from "./schema";

/** Total participants below which imprecision is serious (one step down): GRADE's rule-of-thumb optimal information size for continuous outcomes. */
export const IMPRECISION_SERIOUS_N = 400;
/** Total participants below which imprecision is very serious (two steps down). */
export const IMPRECISION_VERY_SERIOUS_N = 100;

export type { Domain } from "./labels";

export interface GradeReason {
  /** GRADE domain the reason belongs to. */
  domain: Domain;
  /** Steps down (0 for the starting point or a domain with no concern). */
  change: number;
  /** What readers see, in full. */
  text: string;
  /** The same in a few words, for cards and summaries ("no blinding; no active control"). */
  short: string;
}

/** What a larger sample in one trial of unreported size would do to the level. */
export interface SampleSizeSensitivity {
  /** Id of the trial that did not report its sample size. */
  study: string;
  /** Its name as readers see it. */
  studyName: string;
  /** Each level the area would reach, and the smallest number analysed in that trial that reaches it. */
  steps: { atLeast: number; level: CertaintyLevel }[];
}

export interface AreaGrade {
  area: string;
  level: CertaintyLevel;
  /** Every step, the starting point first, then one line per domain (concerns and no-concerns alike). */
  reasons: GradeReason[];
  /** Results worth seeing beside the level, such as what the active-control trials found. */
  findings: string[];
  /** Ids of randomized studies with at least one between-group outcome counted in the area (graded). */
  controlledStudies: string[];
  /** Ids of the other studies whose outcomes count in the area: only within-group results or side effects (shown, not graded). */
  ungradedStudies: string[];
  /** Participants analysed in the controlled studies, adding up only the reported numbers. */
  participants: number;
  /** False when at least one controlled study did not report its number analysed. */
  participantsComplete: boolean;
  /** Distinct comparators of the controlled studies, in words ("waiting list"). */
  controlTypes: string[];
  /** Limitation kinds across the controlled studies, with how many of them share each. */
  limitations: { kind: LimitationKind; label: string; studies: number }[];
  /** How the level would move if trials of unreported size had reported one; empty when no unknown size matters. */
  sensitivity: SampleSizeSensitivity[];
}

/** One outcome an area counts, as readers see it in the area's results. */
export interface AreaResult {
  study: string;
  studyName: string;
  outcome: string;
  measure: string;
  comparison: Outcome["comparison"];
  direction: Direction;
  groups?: WithinGroups | undefined;
  /** True when the result enters the grade (a between-groups result of a randomized study). */
  graded: boolean;
  /** The words readers see for the result. */
  label: string;
  detail: string;
}

interface CountedOutcome {
  study: Entry<Study>;
  outcome: Outcome;
}

const rank = (level: CertaintyLevel): number => CERTAINTY_LEVELS.indexOf(level);
const byRank = (r: number): CertaintyLevel => CERTAINTY_LEVELS[Math.max(1, Math.min(4, r))] ?? "very-low";
const isRandomized = (s: Study): boolean => RANDOMIZED_DESIGNS.includes(s.design);
const isGraded = (c: CountedOutcome): boolean =>
  isRandomized(c.study.data) && c.outcome.comparison === "between-groups";
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const nameOf = (s: Entry<Study>): string => s.data.shortName;

/**
 * Checks that every outcome an area counts exists in the study data, and returns the problems as
 * readable messages (empty when all is well).
 */
export function getEvidenceProblems(
  studies: readonly Entry<Study>[],
  areas: readonly Entry<Area>[],
  greyIds: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const byId = new Map(studies.map((s) => [s.id, s]));
  for (const g of greyIds)
    if (byId.has(g)) problems.push(`'${g}' is both a study and a grey item: ids must be unique across both`);
  for (const a of areas) {
    for (const ref of a.data.outcomes) {
      const s = byId.get(ref.study);
      if (!s) {
        problems.push(
          `area '${a.id}' counts an outcome of unknown study '${ref.study}': add src/content/studies/${ref.study}.json or fix the id`,
        );
        continue;
      }
      if (!s.data.outcomes.some((o) => o.id === ref.outcome)) {
        problems.push(
          `area '${a.id}' counts outcome '${ref.outcome}' that study '${ref.study}' does not have (it has: ${s.data.outcomes.map((o) => o.id).join(", ")})`,
        );
      }
    }
  }
  return problems;
}

/** Throws one error listing every problem found by getEvidenceProblems. */
export function requireConsistentEvidence(
  studies: readonly Entry<Study>[],
  areas: readonly Entry<Area>[],
  greyIds: readonly string[] = [],
): void {
  const problems = getEvidenceProblems(studies, areas, greyIds);
  if (problems.length > 0) throw new Error(`Evidence data is inconsistent:\n- ${problems.join("\n- ")}`);
}

function countedOutcomes(area: Area, studies: readonly Entry<Study>[]): CountedOutcome[] {
  const byId = new Map(studies.map((s) => [s.id, s]));
  const out: CountedOutcome[] = [];
  for (const ref of area.outcomes) {
    const study = byId.get(ref.study);
    const outcome = study?.data.outcomes.find((o) => o.id === ref.outcome);
    if (study && outcome) out.push({ study, outcome });
  }
  return out;
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/**
 * Every outcome an area counts, graded or not, in the area's order, with the words readers see.
 * Pages list all of them, so no counted result can drop out of sight.
 */
export function getAreaResults(area: Entry<Area>, studies: readonly Entry<Study>[]): AreaResult[] {
  return countedOutcomes(area.data, studies).map((c) => ({
    study: c.study.id,
    studyName: nameOf(c.study),
    outcome: c.outcome.id,
    measure: c.outcome.measure,
    comparison: c.outcome.comparison,
    direction: c.outcome.direction,
    groups: c.outcome.groups,
    graded: isGraded(c),
    label: getResultLabel(c.outcome),
    detail: c.outcome.detail,
  }));
}

/** Short words for a direction inside a sentence about between-group results. */
const directionWords = (d: Direction): string => BETWEEN_GROUP_LABELS[d].split(":")[0]?.toLowerCase() ?? d;

/**
 * Grades one outcome area from its counted study outcomes. Pure: the same data always gives the
 * same level and reasons.
 * @see docs/decisions/020-evidence-grading.md for each rule and threshold
 */
export function gradeArea(area: Entry<Area>, studies: readonly Entry<Study>[]): AreaGrade {
  const graded = gradeLevel(area, studies);
  return { ...graded, sensitivity: getSampleSizeSensitivity(area, studies, graded) };
}

function gradeLevel(area: Entry<Area>, studies: readonly Entry<Study>[]): Omit<AreaGrade, "sensitivity"> {
  const counted = countedOutcomes(area.data, studies);
  const controlledOutcomes = counted.filter(isGraded);
  const controlled = unique(controlledOutcomes.map((c) => c.study));
  const controlledIds = new Set(controlled.map((s) => s.id));
  const ungraded = unique(counted.map((c) => c.study)).filter((s) => !controlledIds.has(s.id));
  const known = controlled.filter((s) => s.data.nAnalysed !== null);
  const participants = known.reduce((sum, s) => sum + (s.data.nAnalysed ?? 0), 0);
  const participantsComplete = known.length === controlled.length;

  const limitations = limitationsOf(controlled);

  const base = {
    area: area.id,
    controlledStudies: controlled.map((s) => s.id),
    ungradedStudies: ungraded.map((s) => s.id),
    participants,
    participantsComplete,
    controlTypes: unique(controlled.map((s) => s.data.comparator)),
    limitations,
  };
  const findings = getFindings(counted, controlled, area.data.safetySignal);
  const randomizedUngraded = ungraded.filter((s) => isRandomized(s.data));
  const ungradedNote =
    randomizedUngraded.length === 0
      ? ""
      : ` ${listWords(randomizedUngraded.map(nameOf))} ${randomizedUngraded.length === 1 ? "was" : "were"} randomized, but the sources report only changes within each group for what this area counts, so ${randomizedUngraded.length === 1 ? "its results are" : "their results are"} shown and not graded.`;

  if (controlled.length === 0) {
    const text =
      ungraded.length === 0
        ? "No mat-specific controlled trial has measured this. Nothing to grade."
        : `No mat-specific trial has compared the mat with a control on this. Only results without such a comparison exist (${listWords(ungraded.map(nameOf))}), so they are shown but not graded.`;
    return {
      ...base,
      level: "no-controlled-evidence",
      reasons: [{ domain: "design", change: 0, text, short: "no trial compared the mat with a control" }],
      findings,
    };
  }

  const reasons: GradeReason[] = [
    {
      domain: "design",
      change: 0,
      text: `Starts at high: ${plural(controlled.length, "randomized trial")} compared the mat with a control (${listWords(controlled.map(nameOf))}).${ungradedNote}`,
      short: `starts at high: ${countWords(controlled.length, "randomized trial")}`,
    },
  ];

  reasons.push(riskOfBiasReason(controlled, controlledOutcomes));
  reasons.push(imprecisionReason(controlled.length, known.length, participants));
  reasons.push(inconsistencyReason(controlledOutcomes));
  reasons.push(indirectnessReason(area.data.population, controlled));

  const steps = reasons.reduce((sum, r) => sum + r.change, 0);
  const level = byRank(rank("high") - steps);
  if (rank("high") - steps < rank("very-low"))
    reasons.push({
      domain: "design",
      change: 0,
      text: "The steps down pass the lowest level, so the grade stops at very low.",
      short: "stops at very low",
    });
  return { ...base, level, reasons, findings };
}

/** The limitations the controlled trials report, most common first. */
function limitationsOf(controlled: readonly Entry<Study>[]): AreaGrade["limitations"] {
  const limitationCounts = new Map<LimitationKind, number>();
  for (const s of controlled)
    for (const k of unique(s.data.limitations.map((l) => l.kind)))
      limitationCounts.set(k, (limitationCounts.get(k) ?? 0) + 1);
  return [...limitationCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, n]) => ({ kind, label: LIMITATION_KINDS[kind], studies: n }));
}

/** Risk of bias: two concerns, one step each (no blinding of self-rated results; no active control). */
function riskOfBiasReason(
  controlled: readonly Entry<Study>[],
  controlledOutcomes: readonly CountedOutcome[],
): GradeReason {
  const rob: string[] = [];
  const robShort: string[] = [];
  const selfReportedUnblinded = controlledOutcomes.filter(
    (c) => c.outcome.measuredBy === "self-report" && c.study.data.blinding !== "participant-blinded",
  );
  if (selfReportedUnblinded.length * 2 > controlledOutcomes.length) {
    rob.push(
      `no blinding: ${selfReportedUnblinded.length} of ${controlledOutcomes.length} results were rated by the participants themselves, who knew they were lying on spikes`,
    );
    robShort.push("no blinding");
  }
  const active = controlled.filter((s) => s.data.design === "randomized-active-control");
  if (active.length * 2 < controlled.length) {
    const others = unique(
      controlled.filter((s) => s.data.design !== "randomized-active-control").map((s) => s.data.comparator),
    );
    rob.push(
      `no active control: ${active.length} of ${controlled.length} trials compared the mat with doing something similar without it (other controls: ${others.join("; ")})`,
    );
    robShort.push("no active control");
  }
  return rob.length > 0
    ? {
        domain: "risk-of-bias",
        change: rob.length,
        text: `Risk of bias: ${rob.join("; ")}.`,
        short: robShort.join("; "),
      }
    : {
        domain: "risk-of-bias",
        change: 0,
        text: "Risk of bias: no serious concern by these rules.",
        short: "no serious concern",
      };
}

/** Imprecision: the participants of all trials (those that reported a size) against the thresholds. */
function imprecisionReason(trials: number, known: number, participants: number): GradeReason {
  const participantsComplete = known === trials;
  const nText = participantsComplete
    ? `${participants} participants`
    : `${participants} participants with reported numbers (${plural(trials - known, "trial")} did not report its sample size)`;
  const nShort = `${participants}${participantsComplete ? "" : " or more"} people in all`;
  if (participants < IMPRECISION_VERY_SERIOUS_N || trials === 1) {
    const why = trials === 1 ? "a single trial" : `fewer than ${IMPRECISION_VERY_SERIOUS_N} participants in all`;
    return {
      domain: "imprecision",
      change: 2,
      text: `Imprecision, very serious: ${plural(trials, "trial")}, ${nText}: ${why}.`,
      short: trials === 1 ? "a single trial" : nShort,
    };
  } else if (participants < IMPRECISION_SERIOUS_N) {
    return {
      domain: "imprecision",
      change: 1,
      text: `Imprecision: ${plural(trials, "trial")}, ${nText}: fewer than ${IMPRECISION_SERIOUS_N} participants in all.`,
      short: nShort,
    };
  } else {
    return {
      domain: "imprecision",
      change: 0,
      text: `Imprecision: no serious concern (${plural(trials, "trial")}, ${nText}).`,
      short: nShort,
    };
  }
}

/** Inconsistency: one step when the controlled results point different ways. */
function inconsistencyReason(controlledOutcomes: readonly CountedOutcome[]): GradeReason {
  const directions = unique(controlledOutcomes.map((c) => c.outcome.direction));
  if (directions.length > 1 || directions.includes("mixed")) {
    const parts = directions.map(
      (d) =>
        `${directionWords(d)}: ${unique(controlledOutcomes.filter((c) => c.outcome.direction === d).map((c) => `${c.outcome.measure} (${nameOf(c.study)})`)).join("; ")}`,
    );
    return {
      domain: "inconsistency",
      change: 1,
      text: `Inconsistency: results point different ways (${parts.join(" | ")}).`,
      short: "results point different ways",
    };
  } else {
    return {
      domain: "inconsistency",
      change: 0,
      text: `Inconsistency: the controlled results point the same way (${directions.map(directionWords).join("")}).`,
      short: "results point the same way",
    };
  }
}

/** Indirectness: one step when at most half of the trials enrolled the people the question is about. */
function indirectnessReason(target: Area["population"], controlled: readonly Entry<Study>[]): GradeReason {
  if (target === "anyone") {
    return {
      domain: "indirectness",
      change: 0,
      text: "Indirectness: the question concerns anyone who uses a mat, so healthy volunteers count as direct.",
      short: "no concern",
    };
  } else {
    const direct = controlled.filter((s) => s.data.population.conditions.some((c) => target.includes(c)));
    const who = listWords(target.map((c) => CONDITION_LABELS[c]));
    if (direct.length * 2 <= controlled.length) {
      return {
        domain: "indirectness",
        change: 1,
        text: `Indirectness: ${direct.length} of ${controlled.length} trials enrolled the people this question is about (people with ${who}); the others studied healthy volunteers or people with another condition.`,
        short: "trials in other people",
      };
    } else {
      return {
        domain: "indirectness",
        change: 0,
        text: `Indirectness: ${direct.length} of ${controlled.length} trials enrolled the people this question is about (people with ${who}).`,
        short: "no concern",
      };
    }
  }
}

function getFindings(
  counted: readonly CountedOutcome[],
  controlled: readonly Entry<Study>[],
  safetySignal: boolean,
): string[] {
  const findings: string[] = [];
  const activeTrials = controlled.filter((s) => s.data.design === "randomized-active-control");
  for (const s of activeTrials) {
    const results = counted.filter((c) => c.study.id === s.id && c.outcome.comparison === "between-groups");
    const allNull = results.every((c) => c.outcome.direction === "no-difference");
    const lead = activeTrials.length === 1 ? "The only trial with an active control" : "A trial with an active control";
    findings.push(
      allNull
        ? `${lead} (${nameOf(s)}, mat versus ${s.data.control}) found ${safetySignal ? "no difference" : "no advantage for the mat"}: ${listWords(results.map((c) => c.outcome.measure))} did not differ between the groups.`
        : `${lead} (${nameOf(s)}, mat versus ${s.data.control}): ${results.map((c) => `${c.outcome.measure}: ${directionWords(c.outcome.direction)}`).join("; ")}.`,
    );
  }
  if (controlled.length > 0 && activeTrials.length === 0 && !safetySignal)
    findings.push(
      "No trial compared the mat with a similar activity without it, so the results cannot separate the mat from resting, attention or expectation.",
    );
  const worse = counted.filter((c) => c.outcome.direction === "worse" && isGraded(c));
  for (const c of worse) findings.push(`Worse with the mat: ${c.outcome.measure} (${nameOf(c.study)}).`);
  return findings;
}

/**
 * For each controlled trial in the area that did not report its sample size, the levels the area
 * would reach if it had analysed more people, with the smallest number that reaches each. Only the
 * imprecision rule depends on sample size, so the thresholds are the only numbers worth trying.
 */
function getSampleSizeSensitivity(
  area: Entry<Area>,
  studies: readonly Entry<Study>[],
  current: Omit<AreaGrade, "sensitivity">,
): SampleSizeSensitivity[] {
  const out: SampleSizeSensitivity[] = [];
  for (const id of current.controlledStudies) {
    const study = studies.find((s) => s.id === id);
    if (!study || study.data.nAnalysed !== null) continue;
    const candidates = unique(
      [IMPRECISION_VERY_SERIOUS_N, IMPRECISION_SERIOUS_N].map((t) => Math.max(1, t - current.participants)),
    ).sort((a, b) => a - b);
    const steps: SampleSizeSensitivity["steps"] = [];
    let last = current.level;
    for (const n of candidates) {
      const withN = studies.map((s) => (s.id === id ? { ...s, data: { ...s.data, nAnalysed: n } } : s));
      const level = gradeLevel(area, withN).level;
      if (level !== last) steps.push({ atLeast: n, level });
      last = level;
    }
    if (steps.length > 0) out.push({ study: id, studyName: nameOf(study), steps });
  }
  return out;
}

/** Grades every area, in the areas' display order. */
export function gradeAreas(areas: readonly Entry<Area>[], studies: readonly Entry<Study>[]): AreaGrade[] {
  return [...areas].sort((a, b) => a.data.order - b.data.order).map((a) => gradeArea(a, studies));
}

/** Readable label of a certainty level ("very low"). */
export function getLevelLabel(level: CertaintyLevel): string {
  return level === "no-controlled-evidence" ? "no controlled evidence" : level.replace("-", " ");
}

/**
 * How the randomized trials were controlled, counted by comparator ("waiting list": 2), in the
 * order of first appearance: the plain statement pages make instead of "most used a waiting list".
 */
export function getComparatorCounts(studies: readonly Entry<Study>[]): { comparator: string; studies: string[] }[] {
  const out: { comparator: string; studies: string[] }[] = [];
  for (const s of studies.filter((x) => isRandomized(x.data))) {
    const row = out.find((r) => r.comparator === s.data.comparator);
    if (row) row.studies.push(s.id);
    else out.push({ comparator: s.data.comparator, studies: [s.id] });
  }
  return out;
}

/**
 * What each certainty level means, one plain sentence each (the evidence page lists them under
 * "What the certainty levels mean", and every badge links there). Our wording of GRADE's meanings.
 */
export const LEVEL_MEANINGS: Record<CertaintyLevel, string> = {
  high: "High: we are confident the real effect is close to what the trials found.",
  moderate: "Moderate: the real effect is probably close to what the trials found, but it could be quite different.",
  low: "Low: the real effect may well be quite different from what the trials found.",
  "very-low": "Very low: we are very unsure; the real effect could be far from what the trials found.",
  "no-controlled-evidence":
    "No controlled evidence: no trial compared the mat with a control on this, so there is nothing to grade.",
};

/** How sure we are at each level, as the end of a sentence that pairs it with a direction. */
const LEVEL_SURENESS: Record<CertaintyLevel, string> = {
  high: "we are confident",
  moderate: "we are fairly confident",
  low: "we are unsure",
  "very-low": "we are very unsure",
  "no-controlled-evidence": "there is nothing to grade",
};

/** Where the evidence page explains the levels; every badge links here. */
export const LEVEL_MEANINGS_HREF = "/evidence/#certainty-levels";

/**
 * Which way the graded results of an area point, paired with the level, in one plain sentence:
 * "Small trials suggest some improvement; we are very unsure." Built from the graded results
 * only, so a level never appears without its direction.
 */
export function describeAreaDirection(
  level: CertaintyLevel,
  results: readonly Pick<AreaResult, "direction" | "graded">[],
  safetySignal = false,
): string {
  const graded = results.filter((r) => r.graded);
  if (level === "no-controlled-evidence" || graded.length === 0)
    return "No trial compared the mat with a control on this, so there is nothing to grade.";
  const has = (d: Direction) => graded.some((r) => r.direction === d);
  const only = (d: Direction) => graded.every((r) => r.direction === d);
  const sure = LEVEL_SURENESS[level];
  if (safetySignal && has("worse"))
    return `${has("no-difference") ? "One small study saw a rise with the mat, another no difference" : "Small studies saw a rise with the mat"}; ${sure}.`;
  if (only("improved")) return `Small trials suggest some improvement with the mat; ${sure}.`;
  if (only("no-difference")) return `Small trials found no difference from the comparison; ${sure}.`;
  if (has("improved") && has("no-difference") && !has("worse"))
    return `Small trials found some improvement on some measures and no difference on others; ${sure}.`;
  return `Small trials point different ways; ${sure}.`;
}
