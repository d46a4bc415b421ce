/** Plain-language labels for the evidence enums, shared by the pages. */
import type { Blinding, Comparison, Design, Direction, GreyItem } from "./schema";

export const DESIGN_LABELS: Record<Design, string> = {
  "randomized-active-control": "Randomized, active control",
  "randomized-inactive-control": "Randomized, waiting list or no treatment",
  "randomized-control-not-reported": "Randomized, control not reported",
  "randomized-within-person": "Randomized within-person (crossover)",
  "single-arm": "Single arm, no control group",
  survey: "Survey",
  "single-case": "Single case",
};

export const DIRECTION_LABELS: Record<Direction, string> = {
  improved: "Better with the mat",
  "no-difference": "No difference",
  worse: "Worse with the mat",
  mixed: "Mixed",
};

export const COMPARISON_LABELS: Record<Comparison, string> = {
  "between-groups": "Mat compared with the control",
  "within-group": "Before and after, one group only",
};

export const BLINDING_LABELS: Record<Blinding, string> = {
  "open-label": "Open label: everyone knew who used the mat",
  "not-reported": "Not reported",
  "assessor-blinded": "Outcome assessors blinded",
  "participant-blinded": "Participants blinded",
};

export const GREY_KIND_LABELS: Record<GreyItem["kind"], string> = {
  "grey-literature": "Grey literature",
  "related-device": "Related device, not a mat",
  "general-review": "General acupressure review (not about mats)",
};
