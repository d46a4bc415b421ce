/**
 * The safety rule set from its content collection (already checked by its schema): the one
 * server module that reads it, so pages load it and pass it to the safety loaders and actions,
 * and those stay free of Astro (their database tests need no mock of `astro:content`).
 * @module
 */
import { getEntry } from "astro:content";
import type { SafetyRuleSet } from "../../core/safety/schema";

export async function getSafetyRuleSet(): Promise<SafetyRuleSet> {
  const entry = await getEntry("safetyCheck", "current");
  if (!entry) throw new Error("The safety rules are missing: src/content/safety/safety-check.json did not load.");
  return entry.data;
}
