/**
 * The /mats query: which mats to compare, and the weight and position for the calculator.
 * Pure parsing with messages as data, so the page re-renders the form instead of failing.
 * @module
 */
import { isPosition, parseBodyMass, type Position } from "../pressure/model";

/** How many mats the comparison shows side by side. */
export const COMPARISON_LIMITS = { min: 2, max: 4 } as const;

/** What a first visit shows: the reference mat beside the gentle archetype. */
export const DEFAULT_COMPARISON: readonly string[] = ["shakti-original", "generic-gentle-mat"];

/** The raw query, as read from the URL (repeated `mat` parameters become a list). */
export interface ComparisonQueryInput {
  mat: readonly string[];
  mass: string | null;
  position: string | null;
}

export interface ComparisonQuery {
  /** Known mat ids to show, in the order chosen, at most four. */
  matIds: string[];
  /** The mass exactly as typed (re-shown in the form); "" when not given. */
  mass: string;
  /** Parsed mass in kg, or null when not given or not valid. */
  massKg: number | null;
  position: Position;
  /** Messages per field ("mat", "mass", "position"); empty when the query is fine. */
  issues: Record<string, string[]>;
}

/**
 * Parses the /mats query against the ids in the catalogue. A query with no parameters at all is a
 * first visit and gets the default comparison; anything wrong comes back as messages in `issues`.
 */
export function parseComparisonQuery(input: ComparisonQueryInput, knownIds: readonly string[]): ComparisonQuery {
  const issues: Record<string, string[]> = {};
  const add = (field: string, message: string) => (issues[field] ??= []).push(message);
  const firstVisit = input.mat.length === 0 && input.mass === null && input.position === null;

  const chosen = firstVisit ? [...DEFAULT_COMPARISON] : [...new Set(input.mat)];
  const unknown = chosen.filter((id) => !knownIds.includes(id));
  for (const id of unknown)
    add("mat", `There is no mat called "${id.slice(0, 60)}" in the catalogue; choose from the list.`);
  let matIds = chosen.filter((id) => knownIds.includes(id));
  if (matIds.length < COMPARISON_LIMITS.min) add("mat", `Choose at least ${COMPARISON_LIMITS.min} mats to compare.`);
  if (matIds.length > COMPARISON_LIMITS.max) {
    add(
      "mat",
      `Choose at most ${COMPARISON_LIMITS.max} mats; you chose ${matIds.length}, so only the first ${COMPARISON_LIMITS.max} are shown.`,
    );
    matIds = matIds.slice(0, COMPARISON_LIMITS.max);
  }

  let position: Position = "lying";
  if (input.position !== null && input.position !== "") {
    if (isPosition(input.position)) position = input.position;
    else add("position", "Choose one of the three positions.");
  }

  const mass = (input.mass ?? "").slice(0, 40);
  let massKg: number | null = null;
  if (mass.trim() !== "") {
    const parsed = parseBodyMass(mass);
    if (parsed.ok) massKg = parsed.kg;
    else add("mass", parsed.message);
  }

  return { matIds, mass, massKg, position, issues };
}
