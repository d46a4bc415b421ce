/**
 * Collections for the evidence domain: studies (graded), grey and context items (shown, never
 * graded), outcome areas, and the guides. The schemas live in src/core/evidence/schema.ts so that
 * pure code and tests share them; the guide frontmatter schema lives in src/core/evidence/guide.ts.
 */
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { AreaSchema, GreyItemSchema, StudySchema } from "../../core/evidence/schema";
import { GuideFrontmatterSchema } from "../../core/evidence/guide";

export const evidenceCollections = {
  studies: defineCollection({
    loader: glob({ pattern: "*.json", base: "./src/content/studies" }),
    schema: StudySchema,
  }),
  grey: defineCollection({ loader: glob({ pattern: "*.json", base: "./src/content/grey" }), schema: GreyItemSchema }),
  areas: defineCollection({ loader: glob({ pattern: "*.json", base: "./src/content/areas" }), schema: AreaSchema }),
  guides: defineCollection({
    loader: glob({ pattern: "*.md", base: "./src/content/guides" }),
    schema: GuideFrontmatterSchema,
  }),
};
