/**
 * Loads the safety rule set from its content collection (already checked by its schema).
 * Underscore: a helper beside the routes, not a route itself.
 */
import { getEntry } from "astro:content";
import type { SafetyRuleSet } from "../../core/safety/schema";

export async function getSafetyRuleSet(): Promise<SafetyRuleSet> {
  const entry = await getEntry("safetyCheck", "current");
  if (!entry) throw new Error("The safety rules are missing: src/content/safety/safety-check.json did not load.");
  return entry.data;
}
