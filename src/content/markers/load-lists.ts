/**
 * Lists that guides render through [[list:name]] markers, read from the data files that own them
 * (for the build-time marker plugin and tests, which run outside astro's content layer). One source
 * per list: the red flags are the safety check's own red-flag questions, and the trial exclusions
 * are the check's questions whose rules cite the trial's exclusion list, with what the check says.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SafetyRuleSetSchema } from "../../core/safety/schema";
import { getRedFlagList, getTrialExclusionList } from "../../core/safety/engine";
import { CONTENT_DIR } from "./load-evidence";

/** Every list a guide may render, by name. */
export function loadGuideLists(contentDir: string = CONTENT_DIR): Record<string, string[]> {
  const ruleSet = SafetyRuleSetSchema.parse(
    JSON.parse(readFileSync(join(contentDir, "safety", "safety-check.json"), "utf8")),
  );
  return { "red-flags": getRedFlagList(ruleSet), "trial-exclusions": getTrialExclusionList(ruleSet) };
}
