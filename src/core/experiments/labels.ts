/**
 * Words the experiment pages show for experiments, outcomes, comparators, states and verdicts, and the
 * allowed values of an experiment's state and source (the database's CHECKs are built from them).
 * @module
 */
import { isImported, type Comparator, type ExperimentProtocol, type Outcome } from "./protocol";

/** What the person did on an experiment day. */
export const ADHERENCE = ["as-assigned", "other-condition", "skipped"] as const;
export type Adherence = (typeof ADHERENCE)[number];

/** running until the last day or until the person ends it; ended after. */
export const EXPERIMENT_STATES = ["running", "ended"] as const;
export type ExperimentState = (typeof EXPERIMENT_STATES)[number];

/** matwise: designed, frozen and randomized here; import: data kept elsewhere, not pre-registered here. */
export const EXPERIMENT_SOURCES = ["matwise", "import"] as const;
export type ExperimentSource = (typeof EXPERIMENT_SOURCES)[number];

export const OUTCOME_TEXT: Record<Outcome, { label: string; question: string; ends: [string, string] }> = {
  pain: {
    label: "Pain",
    question: "How bad was your pain today, on average?",
    ends: ["no pain", "worst pain imaginable"],
  },
  tension: {
    label: "Muscle tension",
    question: "How tense were your muscles today?",
    ends: ["fully loose", "as tight as it gets"],
  },
  stress: { label: "Stress", question: "How stressed did you feel today?", ends: ["not at all", "extremely"] },
  sleepQuality: {
    label: "Sleep quality",
    question: "How well did you sleep last night?",
    ends: ["very badly", "very well"],
  },
  sleepLatency: {
    label: "Minutes to fall asleep",
    question: "About how many minutes did it take you to fall asleep last night?",
    ends: ["0 minutes", "600 minutes"],
  },
};

export const COMPARATOR_TEXT: Record<Comparator, { label: string; why: string }> = {
  "rest-without-mat": {
    label: "Lie still for the same time without the mat (recommended)",
    why: "Lying down quietly for 15 minutes helps many people by itself. Resting on a towel or a flat surface on the other days is the only way to see what the spikes add.",
  },
  "no-session": {
    label: "No session on the other days",
    why: "Simpler, but any change then mixes the spikes with the rest and the attention, as in most published trials.",
  },
};

export const ADHERENCE_TEXT: Record<Adherence, string> = {
  "as-assigned": "I did today's assignment",
  "other-condition": "I did the other one",
  skipped: "I skipped it",
};

/** What the comparator is called in a sentence: "lying still without the mat". */
export const COMPARATOR_NAME: Record<Comparator | "imported", string> = {
  "rest-without-mat": "lying still without the mat",
  "no-session": "no session",
  imported: "the other condition",
};

/** The verdict in plain words, for the person's own experiment. */
export function verdictSentence(
  verdict: "not-enough-data" | "meaningful-benefit" | "likely-benefit" | "no-clear-difference" | "likely-worse",
  o: {
    outcome: Outcome;
    comparator: Comparator | "imported";
    mcid: number;
    unit: string;
    pairsNeeded: number;
    completePairs?: number;
  },
): string {
  const against = COMPARATOR_NAME[o.comparator];
  const what = OUTCOME_TEXT[o.outcome].label.toLowerCase();
  switch (verdict) {
    case "not-enough-data":
      // An imported experiment gets no more days: say what the file holds, not what to wait for.
      if (o.comparator === "imported")
        return `Not enough data for a verdict: the file has ${o.completePairs ?? 0} complete ${o.completePairs === 1 ? "block" : "blocks"} (days with the mat and without, both rated); a verdict needs ${o.pairsNeeded + (o.completePairs ?? 0)}.`;
      return `Not enough data for a verdict yet: ${o.pairsNeeded} more complete ${o.pairsNeeded === 1 ? "pair" : "pairs"} of periods (one with the mat, one without, both rated) are needed.`;
    case "meaningful-benefit":
      return `The mat very probably helped your ${what} by at least the ${o.mcid} ${o.unit} that matter to you, compared with ${against}.`;
    case "likely-benefit":
      return `The mat probably helped your ${what} more than ${against}, but perhaps by less than the ${o.mcid} ${o.unit} that matter to you.`;
    case "no-clear-difference":
      return `No clear difference in your ${what} between the mat and ${against}.`;
    case "likely-worse":
      return `Your ${what} was probably worse with the mat than with ${against}.`;
  }
}

/** A short name for an experiment: "Pain: the mat against lying still without it", or "Pain: brought in from diary.csv". */
export function experimentTitle(p: ExperimentProtocol): string {
  if (isImported(p)) return `${OUTCOME_TEXT[p.primaryOutcome].label}: brought in from ${p.fileName}`;
  const against = p.comparator === "no-session" ? "no session" : "lying still without it";
  return `${OUTCOME_TEXT[p.primaryOutcome].label}: the mat against ${against}`;
}
