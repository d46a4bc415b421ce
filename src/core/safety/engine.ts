/**
 * The safety engine: answers + rules in, findings out. Pure: no I/O, no clock
 * (dates are parameters), so the same answers and rules always give the same result.
 * @module
 */
import { contentHash } from "../canonical";
import { BODY_AREAS, SAFETY_LEVELS } from "./schema";
import type {
  Answer,
  BodyArea,
  SafetyAnswers,
  SafetyCheckRecord,
  SafetyFinding,
  SafetyLevel,
  SafetyResult,
  SafetyRuleSet,
  SafetySource,
} from "./schema";

/** Severity rank: 0 is the most serious ("see-professional"), 3 is "fine". */
export function getLevelRank(level: SafetyLevel): number {
  return SAFETY_LEVELS.indexOf(level);
}

/** The most serious of the given levels; "fine" for none. */
export function getMostSeriousLevel(levels: readonly SafetyLevel[]): SafetyLevel {
  let best: SafetyLevel = "fine";
  for (const level of levels) if (getLevelRank(level) < getLevelRank(best)) best = level;
  return best;
}

/** A missing answer counts as "not sure", which always takes the careful route. */
function getAnswer(input: SafetyAnswers, questionId: string): Answer {
  return input.answers[questionId] ?? "unsure";
}

const fires = (answer: Answer): answer is "yes" | "unsure" => answer !== "no";

/** Whether a question applies: unconditional, or its gating question was answered "yes" or "unsure". */
export function isQuestionAsked(questionId: string, input: SafetyAnswers, ruleSet: SafetyRuleSet): boolean {
  const q = ruleSet.questions.find((x) => x.id === questionId);
  if (!q) return false;
  return q.askedIf === undefined || fires(getAnswer(input, q.askedIf));
}

/**
 * The version string a result carries: the data's `version` plus a hash of the whole rule
 * set (SHA-256 of its canonical JSON, first 12 hex digits), so an edit made without bumping
 * `version` still shows as a different version.
 */
export function getRulesVersion(ruleSet: SafetyRuleSet): string {
  return `${ruleSet.version}+${contentHash(ruleSet).slice(0, 12)}`;
}

/**
 * Evaluates answers against the rules. Every rule whose question is asked and answered
 * "yes" or "unsure" (or left unanswered) becomes a finding; the overall level is the most
 * serious finding's level, or "fine" when none fired.
 * @see docs/decisions/030-safety-rules-as-data.md
 */
export function evaluateSafety(input: SafetyAnswers, ruleSet: SafetyRuleSet): SafetyResult {
  const sources = new Map<string, SafetySource>(ruleSet.sources.map((s) => [s.id, s]));
  const questions = new Map(ruleSet.questions.map((q) => [q.id, q]));
  const findings: SafetyFinding[] = [];

  for (const rule of ruleSet.rules) {
    const question = questions.get(rule.question);
    if (!question || !isQuestionAsked(question.id, input, ruleSet)) continue;
    const answer = getAnswer(input, question.id);
    if (!fires(answer)) continue;
    const source = sources.get(rule.sourceId);
    if (!source) continue; // the schema rejects this; skipping keeps the engine total
    const finding: SafetyFinding = {
      ruleId: rule.id,
      questionId: question.id,
      answer,
      level: rule.level,
      concern: rule.concern,
      urgent: rule.urgent === true,
      reason: rule.reason,
      advice: rule.advice,
      source,
      moreSources: rule.moreSourceIds.flatMap((id) => sources.get(id) ?? []),
    };
    if (question.asksWhere) finding.areas = sortAreas(input.areas[question.id] ?? []);
    findings.push(finding);
  }

  // Stable sort: most serious first, rule order within a level.
  findings.sort((a, b) => getLevelRank(a.level) - getLevelRank(b.level));
  const areasOffMat = sortAreas(findings.filter((f) => f.level === "keep-area-off").flatMap((f) => f.areas ?? []));
  return {
    level: getMostSeriousLevel(findings.map((f) => f.level)),
    findings,
    rulesVersion: getRulesVersion(ruleSet),
    areasOffMat,
  };
}

/** Unique areas in head-to-toe order. */
function sortAreas(areas: readonly BodyArea[]): BodyArea[] {
  const set = new Set(areas);
  return BODY_AREAS.filter((a) => set.has(a));
}

/** The part of a result worth saving, stamped with the time it was taken (`now` is passed in). */
export function createSafetyCheckRecord(result: SafetyResult, now: Date): SafetyCheckRecord {
  return {
    date: now.toISOString(),
    rulesVersion: result.rulesVersion,
    level: result.level,
    findingIds: result.findings.map((f) => f.ruleId),
    areasOffMat: result.areasOffMat,
    professionalAgreed: false,
  };
}

/**
 * The back-pain red flags as one list, in question order: the `listLabel` of every question that a
 * red-flag rule (concern "pain") reads. The safety check asks these questions; guides render this
 * list through the [[list:red-flags]] marker, so both come from the same data.
 */
export function getRedFlagList(ruleSet: SafetyRuleSet): string[] {
  const read = new Set(ruleSet.rules.filter((r) => r.concern === "pain").map((r) => r.question));
  return ruleSet.questions.filter((q) => read.has(q.id)).map((q) => q.listLabel ?? q.text);
}

/** What each level tells a person to do, in the words of a list item. */
const LEVEL_ACTION: Record<SafetyLevel, string> = {
  "see-professional": "see a professional first",
  "keep-area-off": "keep that area off the mat",
  "extra-care": "take extra care",
  fine: "fine to try",
};

/**
 * The registered trial's exclusions the safety check asks about, each with what the check then
 * says: every rule that cites a source of kind "trial-exclusion". Guides render it through the
 * [[list:trial-exclusions]] marker, so the guide cannot claim more than the check asks.
 */
export function getTrialExclusionList(ruleSet: SafetyRuleSet): string[] {
  const trialSources = new Set(ruleSet.sources.filter((s) => s.kind === "trial-exclusion").map((s) => s.id));
  const rules = ruleSet.rules.filter((r) =>
    [r.sourceId, ...(r.moreSourceIds ?? [])].some((id) => trialSources.has(id)),
  );
  return ruleSet.questions.flatMap((q) => {
    const rule = rules.find((r) => r.question === q.id);
    if (!rule) return [];
    const when = q.askedIf
      ? ` (asked only after a yes to "${ruleSet.questions.find((x) => x.id === q.askedIf)?.text ?? q.askedIf}")`
      : "";
    return [`${q.listLabel ?? q.text}: ${LEVEL_ACTION[rule.level]}${when}`];
  });
}
