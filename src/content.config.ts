/**
 * Content collections. Each domain keeps its collections (and their documented zod
 * schemas) in its own file under src/content/collections/; this file only gathers them.
 */
import { evidenceCollections } from "./content/collections/evidence";
import { safetyCollections } from "./content/collections/safety";
import { matCollections } from "./content/collections/mats";

export const collections = { ...evidenceCollections, ...safetyCollections, ...matCollections };
