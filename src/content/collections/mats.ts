/**
 * Collections for the mats domain: the mat catalogue, one JSON file per mat in
 * src/content/mats/ (the file name is the id). The schema, documented field by field for the
 * person editing the data, lives in src/core/mats/schema.ts so pure code and tests share it.
 */
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { MatSchema } from "../../core/mats/schema";

export const matCollections = {
  mats: defineCollection({
    loader: glob({ pattern: "*.json", base: "./src/content/mats" }),
    schema: MatSchema,
  }),
};
