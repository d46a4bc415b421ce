/**
 * Words the experiment pages show for outcomes, comparators, states and verdicts, and the
 * allowed values of an experiment's state and source (the database's CHECKs are built from them).
 * @module
 */
import type { Comparator, Outcome } from "./protocol";

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
  pain: { label: "Pain", question: "How bad was your pain today, on average?", ends: ["no pain", "worst pain imaginable"] },
  tension: { label: "Muscle tension", question: "How tense were your muscles today?", ends: ["fully loose", "as tight as it gets"] },
  stress: { label: "Stress", question: "How stressed did you feel today?", ends: ["not at all", "extremely"] },
  sleepQuality: { label: "Sleep quality", question: "How well did you sleep last night?", ends: ["very badly", "very well"] },
  sleepLatency: { label: "Minutes to fall asleep", question: "About how many minutes did it take you to fall asleep last night?", ends: ["0 minutes", "600 minutes"] },
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
