/**
 * Words the safety pages show for levels, answers, body areas and source kinds. AREA_TEXT is
 * the one set of body-area names: the session log, the plan and the timer use it too.
 * @module
 */
import { formatCalendarDate } from "../datetime";
import type { Answer, BodyArea, SafetyLevel, SafetySource } from "./schema";

export const LEVEL_TEXT: Record<SafetyLevel, { label: string; summary: string; tone: "danger" | "warn" | "ok" }> = {
  "see-professional": {
    label: "See a professional first",
    summary:
      "Please do not start with the mat until a doctor, midwife, nurse or physiotherapist who knows your health has said yes.",
    tone: "danger",
  },
  "keep-area-off": {
    label: "Keep an area off the mat",
    summary:
      "You can try the mat, but keep the parts of your body named below off it until they have healed or a professional says otherwise.",
    tone: "warn",
  },
  "extra-care": {
    label: "Take extra care",
    summary:
      "You can try the mat. Start gentler than usual: through a shirt, on a soft surface, and for a few minutes at first.",
    tone: "warn",
  },
  fine: {
    label: "Fine to try",
    summary:
      "Nothing you told us rules the mat out. Start gently anyway: in a lab study the sting of the spikes was strongest in the first half minute.",
    tone: "ok",
  },
};

export const ANSWER_TEXT: Record<Answer, string> = { yes: "Yes", no: "No", unsure: "Not sure" };

export const AREA_TEXT: Record<BodyArea, { label: string; phrase: string }> = {
  back: { label: "Back", phrase: "your back" },
  "neck-shoulders": { label: "Neck and shoulders", phrase: "your neck and shoulders" },
  "buttocks-hips": { label: "Buttocks and hips", phrase: "your buttocks and hips" },
  legs: { label: "Legs", phrase: "your legs" },
  feet: { label: "Feet", phrase: "your feet" },
  other: { label: "Somewhere else", phrase: "the other place you have in mind" },
};

/** Just the names, for pickers that take a record of words. */
export const AREA_NAME = Object.fromEntries(Object.entries(AREA_TEXT).map(([k, v]) => [k, v.label])) as Record<
  BodyArea,
  string
>;

export const SOURCE_KIND_TEXT: Record<SafetySource["kind"], string> = {
  study: "Study",
  "trial-exclusion": "Trial exclusion list",
  overview: "General precaution",
  maker: "Maker's advice, not evidence",
  "red-flag": "Back-pain red flag",
};

/** "your back, your legs and your feet". */
export function listAreas(areas: readonly BodyArea[]): string {
  const words = areas.map((a) => AREA_TEXT[a].phrase);
  if (words.length <= 1) return words[0] ?? "the affected area";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1] ?? ""}`;
}

/**
 * The edition of the safety rules in words, from a result's rules version ("2026-11-25.1+ab12…"):
 * "25 November 2026". People read the date; the version string is for the operator and the export.
 */
export function getRulesDate(rulesVersion: string): string {
  const date = /^(\d{4}-\d{2}-\d{2})/.exec(rulesVersion)?.[1];
  return date && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ? formatCalendarDate(date) : "an earlier date";
}
