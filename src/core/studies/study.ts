/**
 * A research study: a shared protocol that every participant's own experiment follows, a
 * consent text in items (versioned and hashed), eligibility (the safety check and up to five
 * screening questions), a target size and an end date. This module reads the researcher's form,
 * builds a participant's protocol from the study's, and decides who is excluded.
 * @module
 */
import { z } from "zod";
import { contentHash } from "../canonical";
import { CONTROL_IN_TEXT_MESSAGE, isCleanLine, isCleanText, NOT_ONE_LINE_MESSAGE } from "../text";
import { checkStep, protocolOfDesign, type DesignField } from "../experiments/design";
import { ProtocolSchema, type Protocol, type PERIOD_DAYS } from "../experiments/protocol";

/** Protocol fields a researcher may leave for participants to choose (all others are always the study's). */
export const CHANGEABLE_FIELDS = ["minutes", "time", "position", "area"] as const;
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

/** Designer fields a study fixes for everyone (the first five screens of the designer). */
export const STUDY_DESIGN_FIELDS = [
  "outcome",
  "mcid",
  "comparator",
  "minutes",
  "time",
  "position",
  "area",
  "periodDays",
  "pairs",
  "washout",
] as const satisfies readonly DesignField[];

export const MAX_SCREENING = 5;
export const MAX_CONSENT_ITEMS = 20;
export const MAX_TARGET = 10_000;

/** The shared protocol as frozen for the study: a designed protocol without the person's start, clock and expectation. */
export const StudyProtocolSchema = ProtocolSchema.innerType()
  .omit({ startsOn: true, timeZone: true, expectation: true })
  .extend({
    /** Fields participants may not change; the others are the study's default, which they may change. */
    locked: z.array(z.enum(CHANGEABLE_FIELDS)),
  });
export type StudyProtocol = z.infer<typeof StudyProtocolSchema>;

/** A screening question: a yes/no question and the answer that excludes. */
export const ScreeningSchema = z.object({ question: z.string().min(1).max(300), excludeIf: z.enum(["yes", "no"]) });
export type Screening = z.infer<typeof ScreeningSchema>;

export interface StudyDraft {
  title: string;
  question: string;
  contact: string;
  protocol: StudyProtocol;
  consentItems: string[];
  screening: Screening[];
  targetSize: number;
  endsOn: string;
}

/** Every field of the form at /studies/new. */
export const STUDY_FORM_FIELDS = [
  "title",
  "question",
  "contact",
  ...STUDY_DESIGN_FIELDS,
  "consent",
  "targetSize",
  "endsOn",
  ...Array.from({ length: MAX_SCREENING }, (_, i) => [`screen${i + 1}`, `exclude${i + 1}`]).flat(),
] as const;

/** The consent text in items: paragraphs separated by a blank line. */
export function splitConsent(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((s) => s.trim().replace(/\s*\n\s*/g, " "))
    .filter((s) => s.length > 0);
}

/** The consent items of a text, or what is wrong with it. */
export function checkConsentItems(text: string): { ok: true; items: string[] } | { ok: false; message: string } {
  const items = splitConsent(text);
  if (items.length === 0)
    return { ok: false, message: "Write the consent text: one item per paragraph, with a blank line between items." };
  if (items.length > MAX_CONSENT_ITEMS)
    return { ok: false, message: `Keep the consent to at most ${MAX_CONSENT_ITEMS} items.` };
  if (items.some((i) => i.length > 2000))
    return { ok: false, message: "Keep each consent item under 2,000 characters." };
  if (items.some((i) => !isCleanText(i))) return { ok: false, message: CONTROL_IN_TEXT_MESSAGE };
  return { ok: true, items };
}

/** The form that makes an invitation: for the whole study (the default) or one person, with an optional label. */
export const InvitationFormSchema = z.object({
  kind: z.enum(["study", "person"]).catch("study"),
  label: z.string().trim().max(80, "Keep the label under 80 characters."),
});

const CO_RESEARCHER_EMAIL = "Give the email address of their matwise account.";

/** The form that adds a co-researcher: the email address of their matwise account, read as the account forms read one. */
export const CoResearcherFormSchema = z.object({
  email: z
    .string({ required_error: CO_RESEARCHER_EMAIL })
    .trim()
    .toLowerCase()
    .max(254, CO_RESEARCHER_EMAIL)
    .email(CO_RESEARCHER_EMAIL),
});

/** The fingerprint of a consent version: SHA-256 of the canonical JSON of its number and items. */
export function consentHash(version: number, items: readonly string[]): string {
  return contentHash({ version, items });
}

const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * Reads the researcher's form. `locked` holds the changeable fields ticked as fixed. Returns the
 * draft, or a message per field (nothing is stored on any problem).
 */
export function readStudyForm(
  values: Partial<Record<string, string>>,
  locked: readonly string[],
  today: string,
): { ok: true; draft: StudyDraft } | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  // The free-text rule (src/core/text.ts): no control characters; a title, a contact and a
  // screening question are one line (they are written into README.txt and protocol.json).
  const text = (name: string, label: string, max: number, oneLine: boolean) => {
    const v = (values[name] ?? "").trim();
    if (v === "") errors[name] = [`Give ${label}.`];
    else if (v.length > max) errors[name] = [`Keep ${label} under ${max} characters.`];
    else if (oneLine ? !isCleanLine(v) : !isCleanText(v))
      errors[name] = [oneLine ? NOT_ONE_LINE_MESSAGE : CONTROL_IN_TEXT_MESSAGE];
    return v;
  };
  const title = text("title", "a title", 120, true);
  const question = text("question", "the question the study answers", 500, false);
  const contact = text("contact", "how participants can reach you", 200, true);
  const design: Partial<Record<DesignField, string>> = {};
  for (const f of STUDY_DESIGN_FIELDS) design[f] = (values[f] ?? "").trim();
  for (let step = 0; step < 5; step++) Object.assign(errors, checkStep(step, design));
  const consent = checkConsentItems(values["consent"] ?? "");
  const consentItems = consent.ok ? consent.items : [];
  if (!consent.ok) errors["consent"] = [consent.message];
  const screening: Screening[] = [];
  for (let i = 1; i <= MAX_SCREENING; i++) {
    const q = (values[`screen${i}`] ?? "").trim();
    if (q === "") continue;
    const excludeIf = values[`exclude${i}`];
    if (q.length > 300) errors[`screen${i}`] = ["Keep each screening question under 300 characters."];
    else if (!isCleanLine(q)) errors[`screen${i}`] = [NOT_ONE_LINE_MESSAGE];
    else if (excludeIf !== "yes" && excludeIf !== "no") errors[`exclude${i}`] = ["Say which answer excludes a person."];
    else screening.push({ question: q, excludeIf });
  }
  const target = (values["targetSize"] ?? "").trim();
  const targetSize = Number(target);
  if (!/^\d{1,5}$/.test(target) || targetSize < 2 || targetSize > MAX_TARGET)
    errors["targetSize"] = [`Give the number of participants you aim for, from 2 to ${MAX_TARGET}.`];
  const endsOn = (values["endsOn"] ?? "").trim();
  if (!isDate(endsOn)) errors["endsOn"] = ["Give the end date as a date."];
  else if (endsOn <= today) errors["endsOn"] = ["The end date must be after today."];
  const lockedFields = CHANGEABLE_FIELDS.filter((f) => locked.includes(f));
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const protocol = StudyProtocolSchema.safeParse({
    version: 1,
    primaryOutcome: design.outcome,
    mcid: Number(design.mcid),
    comparator: design.comparator,
    sessionMinutes: Number(design.minutes),
    sessionTime: design.time,
    position: design.position,
    area: design.area,
    periodDays: Number(design.periodDays) as (typeof PERIOD_DAYS)[number],
    pairs: Number(design.pairs),
    washout: design.washout === "yes",
    locked: lockedFields,
  });
  if (!protocol.success)
    return { ok: false, errors: { "": [protocol.error.issues[0]?.message ?? "Check the protocol."] } };
  return {
    ok: true,
    draft: { title, question, contact, protocol: protocol.data, consentItems, screening, targetSize, endsOn },
  };
}

/** What a participant chooses when joining: their first day, their expectation, and any field the study left open. */
export type ParticipantChoices = Partial<Record<ChangeableField | "startsOn" | "expectation", string>>;

/**
 * The participant's own protocol: the study's, with the open fields as the participant chose
 * (or the study's default), their first day, clock and expectation. Errors per field.
 */
export function participantProtocol(
  study: StudyProtocol,
  choices: ParticipantChoices,
  timeZone: string,
): { ok: true; protocol: Protocol } | { ok: false; errors: Record<string, string[]> } {
  const open = (f: ChangeableField, fallback: string) =>
    study.locked.includes(f) ? fallback : (choices[f] ?? "").trim() || fallback;
  const design: Partial<Record<DesignField, string>> = {
    outcome: study.primaryOutcome,
    mcid: String(study.mcid),
    comparator: study.comparator,
    minutes: open("minutes", String(study.sessionMinutes)),
    time: open("time", study.sessionTime),
    position: open("position", study.position),
    area: open("area", study.area),
    periodDays: String(study.periodDays),
    pairs: String(study.pairs),
    washout: study.washout ? "yes" : "no",
    expectation: (choices.expectation ?? "").trim(),
    startsOn: (choices.startsOn ?? "").trim(),
  };
  const errors: Record<string, string[]> = {};
  for (let step = 0; step < 7; step++) Object.assign(errors, checkStep(step, design));
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return protocolOfDesign(design, timeZone);
}

/**
 * The exclusion reason from the screening answers, or null when the person may take part. Every
 * question must be answered yes or no.
 */
export function screen(
  questions: readonly Screening[],
  answers: readonly (string | undefined)[],
): { ok: true; excludedBecause: string | null } | { ok: false; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  questions.forEach((_, i) => {
    if (answers[i] !== "yes" && answers[i] !== "no") errors[`q${i + 1}`] = ["Answer yes or no."];
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const hit = questions.findIndex((q, i) => answers[i] === q.excludeIf);
  return {
    ok: true,
    excludedBecause:
      hit < 0 ? null : `Screening: answered ${questions[hit]!.excludeIf} to “${questions[hit]!.question}”`,
  };
}

/** The exclusion reason when the safety check is missing, out of date, or says to see a professional first. */
export const SAFETY_EXCLUSION = "Safety check: not current, or a professional should agree first";

/** P001, P002, … P1000: the only name a researcher sees. */
export function pseudonym(n: number): string {
  return `P${String(n).padStart(3, "0")}`;
}
