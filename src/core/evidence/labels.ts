/**
 * Plain-language words for the evidence data, shared by the pages, the grading text and the
 * charts. Readers never see a raw id or a coded value: every enum has its words here.
 */
import type { Blinding, ConditionKey, Design, Direction, GreyItem, Outcome, WithinGroups } from "./schema";
/** The GRADE domains a certainty can be rated down for. */
export type Domain = "design" | "risk-of-bias" | "imprecision" | "inconsistency" | "indirectness";

export const DESIGN_LABELS: Record<Design, string> = {
  "randomized-active-control": "Randomized, active control (a similar activity without the mat)",
  "randomized-inactive-control": "Randomized, waiting list or no treatment",
  "randomized-add-on": "Randomized, mat added to a treatment both groups had (no sham)",
  "randomized-control-not-reported": "Randomized, control not reported",
  "randomized-within-person": "Randomized within-person (the same people in each condition)",
  "single-arm": "Single arm, no control group",
  survey: "Survey",
  "single-case": "Single case",
};

export const BLINDING_LABELS: Record<Blinding, string> = {
  "open-label": "Open label: everyone knew who used the mat",
  none: "None: with no sham mat, participants knew whether they had a mat",
  "not-reported": "Not reported",
  "assessor-blinded": "Outcome assessors blinded",
  "participant-blinded": "Participants blinded",
};

export const GREY_KIND_LABELS: Record<GreyItem["kind"], string> = {
  "grey-literature": "Grey literature",
  "related-device": "Related device, not a mat",
  "general-review": "General acupressure review (not about mats)",
  method: "Method we use (not about mats)",
};

export const CONDITION_LABELS: Record<ConditionKey, string> = {
  "chronic-low-back-pain": "long-term low back pain",
  "chronic-neck-pain": "long-term neck pain",
  "back-neck-muscle-tension-pain": "muscle-tension pain in the back or neck",
  "sleep-problems": "sleep problems",
  headache: "headache or migraine",
  fibromyalgia: "fibromyalgia",
  "high-blood-pressure": "high blood pressure",
};

export const DOMAIN_LABELS: Record<Domain, string> = {
  design: "Starting point",
  "risk-of-bias": "Risk of bias",
  imprecision: "Imprecision",
  inconsistency: "Inconsistency",
  indirectness: "Indirectness",
};

/** Words for a between-groups result: the mat against the control. */
export const BETWEEN_GROUP_LABELS: Record<Direction, string> = {
  improved: "Better with the mat than the control",
  "no-difference": "No difference between groups",
  worse: "Worse with the mat than the control",
  mixed: "Mixed: better on some counts, not others",
  changed: "Different with the mat than the control, neither better nor worse",
};

/** Words for a within-group result, by where the change was seen and which way it went. */
export const WITHIN_GROUP_LABELS: Record<WithinGroups, Record<Direction, string>> = {
  single: {
    improved: "Improved from before to after (no comparison group)",
    "no-difference": "No significant change over time (no comparison group)",
    worse: "Worse from before to after (no comparison group)",
    mixed: "Rose and fell over time (no comparison group)",
    changed: "Changed over time (no comparison group)",
  },
  "mat-only": {
    improved: "Improved in the mat group only; the groups were not compared directly",
    "no-difference": "No change in the mat group; the groups were not compared directly",
    worse: "Worse in the mat group only; the groups were not compared directly",
    mixed: "Rose and fell in the mat group; the groups were not compared directly",
    changed: "Changed in the mat group only; the groups were not compared directly",
  },
  all: {
    improved: "Every group improved, with or without the mat",
    "no-difference": "No group changed",
    worse: "Every group got worse",
    mixed: "Rose and fell in every group",
    changed: "Every group changed",
  },
};

/** Words for side effects counted in the people who used the mat. */
export const SIDE_EFFECT_LABELS: Record<"worse" | "no-difference", string> = {
  worse: "Side effects reported",
  "no-difference": "No side effects reported",
};

/** What a result compared, in words. */
export const COMPARISON_LABELS: Record<Outcome["comparison"], string> = {
  "between-groups": "Mat compared with the control",
  "within-group": "Before and after, within each group",
  "side-effects": "Side effects, not compared",
};

/**
 * The label a reader sees for one result. A within-group result never gets a between-groups
 * label: "Better with the mat" is only ever said of a comparison with a control.
 */
export function getResultLabel(o: Pick<Outcome, "comparison" | "direction" | "groups">): string {
  if (o.comparison === "between-groups") return BETWEEN_GROUP_LABELS[o.direction];
  if (o.comparison === "side-effects")
    return o.direction === "worse" ? SIDE_EFFECT_LABELS.worse : SIDE_EFFECT_LABELS["no-difference"];
  return WITHIN_GROUP_LABELS[o.groups ?? "single"][o.direction];
}

/** "Kjellgren 2011, Hohmann 2012 (neck) and Saha 2016". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1] ?? ""}`;
}

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** Small counts as words ("two trials"), larger ones as digits. */
export function countWords(n: number, one: string, many = `${one}s`): string {
  return `${NUMBER_WORDS[n] ?? String(n)} ${n === 1 ? one : many}`;
}
