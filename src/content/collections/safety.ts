/**
 * Collections for the safety check: one entry ("current") holding the questions, sources
 * and rules, checked by the documented schema in src/core/safety/schema.ts.
 */
import { defineCollection } from "astro:content";
import { file } from "astro/loaders";
import { SafetyRuleSetSchema } from "../../core/safety/schema";

export const safetyCollections = {
  safetyCheck: defineCollection({
    // The data file is one object; wrap it so the file loader sees a single entry with id "current".
    loader: file("src/content/safety/safety-check.json", {
      parser: (text) => ({ current: JSON.parse(text) as Record<string, unknown> }),
    }),
    schema: SafetyRuleSetSchema,
  }),
};
