/**
 * Loads the evidence collections and guides for the pages, grades the areas with the pure core,
 * and works out which guides cite which study. Build-time only (all callers are prerendered).
 */
import { getCollection } from "astro:content";
import { gradeAreas, requireConsistentEvidence, type AreaGrade } from "../../core/evidence/grade";
import { getCitationOrder } from "../../core/evidence/guide";

export async function getEvidence() {
  const [studies, grey, areas] = await Promise.all([
    getCollection("studies"),
    getCollection("grey"),
    getCollection("areas"),
  ]);
  requireConsistentEvidence(
    studies,
    areas,
    grey.map((g) => g.id),
  );
  const grades: AreaGrade[] = gradeAreas(areas, studies);
  const sortedStudies = [...studies].sort((a, b) => a.data.year - b.data.year || a.id.localeCompare(b.id));
  const sortedAreas = [...areas].sort((a, b) => a.data.order - b.data.order);
  return {
    studies: sortedStudies,
    grey: [...grey].sort((a, b) => a.id.localeCompare(b.id)),
    areas: sortedAreas,
    grades,
  };
}

export async function getGuides() {
  const guides = await getCollection("guides");
  return [...guides].sort((a, b) => a.data.order - b.data.order);
}

/** Guides citing each id, for "cited in" lists on study pages. */
export async function getCitingGuides(): Promise<Map<string, { id: string; title: string }[]>> {
  const map = new Map<string, { id: string; title: string }[]>();
  for (const g of await getGuides())
    for (const id of getCitationOrder(g.body ?? ""))
      map.set(id, [...(map.get(id) ?? []), { id: g.id, title: g.data.title }]);
  return map;
}

/** Absolute URL of a path on this site. */
export const getAbsoluteUrl = (path: string, site: URL | undefined): string =>
  new URL(path, site ?? "http://localhost:4321").href;
