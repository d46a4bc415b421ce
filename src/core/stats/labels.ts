/**
 * Words `matwise analyze` and the experiment pages show for the analysis: the verdicts.
 * @module
 */
import { MIN_COMPLETE_BLOCKS, type Verdict } from "./analyze";

/** What each verdict means, in a sentence a person can act on (the rules: `decideVerdict`). */
export const VERDICT_TEXT: Record<Verdict, string> = {
  "not-enough-data": `not enough data yet (fewer than ${MIN_COMPLETE_BLOCKS} complete blocks)`,
  "meaningful-benefit": "the mat very probably helps by at least the difference that matters to you",
  "likely-benefit": "the mat probably helps, though perhaps by less than the difference that matters",
  "no-clear-difference": "no clear difference between the mat and the comparator",
  "likely-worse": "the mat is probably worse than the comparator",
};
