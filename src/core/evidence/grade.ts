/**
 * Rule-based certainty grading in the spirit of GRADE: start from the best design present in an
 * outcome area, then step down for risk of bias, imprecision, inconsistency and indirectness.
 * No grade is typed by hand; every step produces a reason that readers see.
 * @see docs/decisions/020-evidence-grading.md
 * @see Guyatt GH, et al. GRADE guidelines. J Clin Epidemiol 2011;64(4):383-394 (and the series that follows)
 */
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
} from "./schema";

/** Total participants below which imprecision is serious (one step down): GRADE's rule-of-thumb optimal information size for continuous outcomes. */
export const IMPRECISION_SERIOUS_N = 400;
/** Total participants below which imprecision is very serious (two steps down). */
export const IMPRECISION_VERY_SERIOUS_N = 100;

export type Domain = "design" | "risk-of-bias" | "imprecision" | "inconsistency" | "indirectness";

export interface GradeReason {
  /** GRADE domain the reason belongs to. */
  domain: Domain;
  /** Steps down (0 for the starting point or a domain with no concern). */
  change: number;
  /** What readers see. */
  text: string;
}

export interface AreaGrade {
  area: string;
  level: CertaintyLevel;
  /** Every step, the starting point first, then one line per domain (concerns and no-concerns alike). */
  reasons: GradeReason[];
  /** Results worth seeing beside the level, such as what the active-control trials found. */
  findings: string[];
  /** Ids of randomized studies with at least one between-group outcome counted in the area. */
  controlledStudies: string[];
  /** Ids of other studies whose outcomes count in the area (shown, not graded). */
  uncontrolledStudies: string[];
  /** Participants analysed in the controlled studies, adding up only the reported numbers. */
  participants: number;
  /** False when at least one controlled study did not report its number analysed. */
  participantsComplete: boolean;
  /** Distinct control descriptions of the controlled studies. */
  controlTypes: string[];
  /** Limitation kinds across the controlled studies, with how many of them share each. */
  limitations: { kind: LimitationKind; label: string; studies: number }[];
}

interface CountedOutcome {
  study: Entry<Study>;
  outcome: Outcome;
}

const rank = (level: CertaintyLevel): number => CERTAINTY_LEVELS.indexOf(level);
const byRank = (r: number): CertaintyLevel => CERTAINTY_LEVELS[Math.max(1, Math.min(4, r))] ?? "very-low";
const isRandomized = (s: Study): boolean => RANDOMIZED_DESIGNS.includes(s.design);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Checks that every outcome an area counts exists in the study data, and returns the problems as
 * readable messages (empty when all is well).
 */
export function getEvidenceProblems(studies: readonly Entry<Study>[], areas: readonly Entry<Area>[], greyIds: readonly string[] = []): string[] {
  const problems: string[] = [];
  const byId = new Map(studies.map((s) => [s.id, s]));
  for (const g of greyIds) if (byId.has(g)) problems.push(`'${g}' is both a study and a grey item: ids must be unique across both`);
  for (const a of areas) {
    for (const ref of a.data.outcomes) {
      const s = byId.get(ref.study);
      if (!s) {
        problems.push(`area '${a.id}' counts an outcome of unknown study '${ref.study}': add src/content/studies/${ref.study}.json or fix the id`);
        continue;
      }
      if (!s.data.outcomes.some((o) => o.id === ref.outcome)) {
        problems.push(`area '${a.id}' counts outcome '${ref.outcome}' that study '${ref.study}' does not have (it has: ${s.data.outcomes.map((o) => o.id).join(", ")})`);
      }
    }
  }
  return problems;
}

/** Throws one error listing every problem found by getEvidenceProblems. */
export function requireConsistentEvidence(studies: readonly Entry<Study>[], areas: readonly Entry<Area>[], greyIds: readonly string[] = []): void {
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
 * Grades one outcome area from its counted study outcomes. Pure: the same data always gives the
 * same level and reasons.
 * @see docs/decisions/020-evidence-grading.md for each rule and threshold
 */
export function gradeArea(area: Entry<Area>, studies: readonly Entry<Study>[]): AreaGrade {
  const counted = countedOutcomes(area.data, studies);
  const controlledOutcomes = counted.filter((c) => isRandomized(c.study.data) && c.outcome.comparison === "between-groups");
  const controlled = unique(controlledOutcomes.map((c) => c.study));
  const controlledIds = new Set(controlled.map((s) => s.id));
  const uncontrolled = unique(counted.map((c) => c.study)).filter((s) => !controlledIds.has(s.id));
  const known = controlled.filter((s) => s.data.nAnalysed !== null);
  const participants = known.reduce((sum, s) => sum + (s.data.nAnalysed ?? 0), 0);
  const participantsComplete = known.length === controlled.length;

  const limitationCounts = new Map<LimitationKind, number>();
  for (const s of controlled) for (const k of unique(s.data.limitations.map((l) => l.kind))) limitationCounts.set(k, (limitationCounts.get(k) ?? 0) + 1);
  const limitations = [...limitationCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, n]) => ({ kind, label: LIMITATION_KINDS[kind], studies: n }));

  const base = {
    area: area.id,
    controlledStudies: controlled.map((s) => s.id),
    uncontrolledStudies: uncontrolled.map((s) => s.id),
    participants,
    participantsComplete,
    controlTypes: unique(controlled.map((s) => s.data.control)),
    limitations,
  };
  const findings = getFindings(counted, controlled, area.data.safetySignal);

  if (controlled.length === 0) {
    const text =
      uncontrolled.length === 0
        ? "No mat-specific controlled trial has measured this. Nothing to grade."
        : `No mat-specific controlled trial has measured this. Only results without a comparison group exist (${uncontrolled.map((s) => s.id).join(", ")}), so they are shown but not graded.`;
    return { ...base, level: "no-controlled-evidence", reasons: [{ domain: "design", change: 0, text }], findings };
  }

  const reasons: GradeReason[] = [
    { domain: "design", change: 0, text: `Starts at high: ${plural(controlled.length, "randomized trial")} compared the mat with a control (${controlled.map((s) => s.id).join(", ")}).` },
  ];

  // Risk of bias: two concerns, one step each.
  const rob: string[] = [];
  const selfReportedUnblinded = controlledOutcomes.filter((c) => c.outcome.measuredBy === "self-report" && c.study.data.blinding !== "participant-blinded");
  if (selfReportedUnblinded.length * 2 > controlledOutcomes.length) {
    rob.push(`no blinding: ${selfReportedUnblinded.length} of ${controlledOutcomes.length} results were rated by the participants themselves, who knew they were lying on spikes`);
  }
  const active = controlled.filter((s) => s.data.design === "randomized-active-control");
  if (active.length * 2 < controlled.length) {
    const others = unique(controlled.filter((s) => s.data.design !== "randomized-active-control").map((s) => s.data.control));
    rob.push(`no active control: ${active.length} of ${controlled.length} trials compared the mat with doing something similar without it; the others compared it with ${others.join("; ")}`);
  }
  reasons.push(rob.length > 0 ? { domain: "risk-of-bias", change: rob.length, text: `Risk of bias: ${rob.join("; ")}.` } : { domain: "risk-of-bias", change: 0, text: "Risk of bias: no serious concern by these rules." });

  // Imprecision: total participants against thresholds.
  const nText = participantsComplete ? `${participants} participants` : `${participants} participants with reported numbers (${plural(controlled.length - known.length, "trial")} did not report its sample size)`;
  if (participants < IMPRECISION_VERY_SERIOUS_N || controlled.length === 1) {
    const why = controlled.length === 1 ? "a single trial" : `fewer than ${IMPRECISION_VERY_SERIOUS_N} participants in all`;
    reasons.push({ domain: "imprecision", change: 2, text: `Imprecision, very serious: ${plural(controlled.length, "trial")}, ${nText}: ${why}.` });
  } else if (participants < IMPRECISION_SERIOUS_N) {
    reasons.push({ domain: "imprecision", change: 1, text: `Imprecision: ${plural(controlled.length, "trial")}, ${nText}: fewer than ${IMPRECISION_SERIOUS_N} participants in all.` });
  } else {
    reasons.push({ domain: "imprecision", change: 0, text: `Imprecision: no serious concern (${plural(controlled.length, "trial")}, ${nText}).` });
  }

  // Inconsistency: results pointing different ways.
  const directions = unique(controlledOutcomes.map((c) => c.outcome.direction));
  if (directions.length > 1 || directions.includes("mixed")) {
    const label: Record<Direction, string> = { improved: "better with the mat", "no-difference": "no difference", worse: "worse with the mat", mixed: "mixed" };
    const parts = directions.map((d) => `${label[d]}: ${unique(controlledOutcomes.filter((c) => c.outcome.direction === d).map((c) => `${c.outcome.measure} (${c.study.id})`)).join("; ")}`);
    reasons.push({ domain: "inconsistency", change: 1, text: `Inconsistency: results point different ways (${parts.join(" | ")}).` });
  } else {
    reasons.push({ domain: "inconsistency", change: 0, text: `Inconsistency: the controlled results point the same way (${directions.map((d) => d.replace("-", " ")).join("")}).` });
  }

  // Indirectness: trials in other people than the ones the question is about.
  const target = area.data.population;
  if (target === "anyone") {
    reasons.push({ domain: "indirectness", change: 0, text: "Indirectness: the question concerns anyone who uses a mat, so healthy volunteers count as direct." });
  } else {
    const direct = controlled.filter((s) => s.data.population.conditions.some((c) => target.includes(c)));
    if (direct.length * 2 <= controlled.length) {
      reasons.push({ domain: "indirectness", change: 1, text: `Indirectness: ${direct.length} of ${controlled.length} trials enrolled the people this question is about (${target.join(", ")}); the others studied healthy volunteers or people with another condition.` });
    } else {
      reasons.push({ domain: "indirectness", change: 0, text: `Indirectness: ${direct.length} of ${controlled.length} trials enrolled the people this question is about.` });
    }
  }

  const steps = reasons.reduce((sum, r) => sum + r.change, 0);
  const level = byRank(rank("high") - steps);
  if (rank("high") - steps < rank("very-low")) reasons.push({ domain: "design", change: 0, text: "The steps down pass the lowest level, so the grade stops at very low." });
  return { ...base, level, reasons, findings };
}

function getFindings(counted: readonly CountedOutcome[], controlled: readonly Entry<Study>[], safetySignal: boolean): string[] {
  const findings: string[] = [];
  const activeTrials = controlled.filter((s) => s.data.design === "randomized-active-control");
  for (const s of activeTrials) {
    const results = counted.filter((c) => c.study.id === s.id && c.outcome.comparison === "between-groups");
    const allNull = results.every((c) => c.outcome.direction === "no-difference");
    const lead = activeTrials.length === 1 ? "The only trial with an active control" : "A trial with an active control";
    findings.push(
      allNull
        ? `${lead} (${s.id}, mat versus ${s.data.control}) found ${safetySignal ? "no difference" : "no advantage for the mat"}: ${results.map((c) => c.outcome.measure).join(", ")} did not differ between the groups.`
        : `${lead} (${s.id}, mat versus ${s.data.control}): ${results.map((c) => `${c.outcome.measure}: ${c.outcome.direction}`).join("; ")}.`,
    );
  }
  if (controlled.length > 0 && activeTrials.length === 0 && !safetySignal) findings.push("No trial compared the mat with a similar activity without it, so the results cannot separate the mat from resting, attention or expectation.");
  const within = counted.filter((c) => !controlled.some((s) => s.id === c.study.id));
  for (const c of within) findings.push(`Without a comparison group (not graded): ${c.outcome.measure}, ${c.outcome.direction} (${c.study.id}).`);
  const worse = counted.filter((c) => c.outcome.direction === "worse" && controlled.some((s) => s.id === c.study.id));
  for (const c of worse) findings.push(`Worse with the mat: ${c.outcome.measure} (${c.study.id}).`);
  return findings;
}

/** Grades every area, in the areas' display order. */
export function gradeAreas(areas: readonly Entry<Area>[], studies: readonly Entry<Study>[]): AreaGrade[] {
  return [...areas].sort((a, b) => a.data.order - b.data.order).map((a) => gradeArea(a, studies));
}

/** Readable label of a certainty level ("very low"). */
export function getLevelLabel(level: CertaintyLevel): string {
  return level === "no-controlled-evidence" ? "no controlled evidence" : level.replace("-", " ");
}
