/**
 * Reads the evidence data files from disk (for the build-time marker plugin and scripts, which run
 * outside astro's content layer) and parses them with the same schemas the collections use.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AreaSchema,
  GreyItemSchema,
  StudySchema,
  type Area,
  type Entry,
  type GreyItem,
  type Study,
} from "../../core/evidence/schema";
import { gradeAreas, requireConsistentEvidence, type AreaGrade } from "../../core/evidence/grade";
import type { z } from "zod";

export interface EvidenceData {
  studies: Entry<Study>[];
  grey: Entry<GreyItem>[];
  areas: Entry<Area>[];
  grades: AreaGrade[];
}

/** src/content, found from this file's place. */
export const CONTENT_DIR = fileURLToPath(new URL("..", import.meta.url));

function readDir<S extends z.ZodTypeAny>(dir: string, schema: S): Entry<z.infer<S>>[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const id = f.replace(/\.json$/, "");
      const raw: unknown = JSON.parse(readFileSync(join(dir, f), "utf8"));
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(file)"}: ${i.message}`);
        throw new Error(`${join(dir, f)} is invalid:\n${lines.join("\n")}`);
      }
      return { id, data: parsed.data as z.infer<S> };
    });
}

/** Loads, validates, cross-checks and grades the evidence data in src/content. */
export function loadEvidence(contentDir: string = CONTENT_DIR): EvidenceData {
  const studies = readDir(join(contentDir, "studies"), StudySchema);
  const grey = readDir(join(contentDir, "grey"), GreyItemSchema);
  const areas = readDir(join(contentDir, "areas"), AreaSchema);
  requireConsistentEvidence(
    studies,
    areas,
    grey.map((g) => g.id),
  );
  return { studies, grey, areas, grades: gradeAreas(areas, studies) };
}
