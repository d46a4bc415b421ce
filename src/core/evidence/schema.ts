/**
 * The evidence data contract: studies (graded), grey or context items (shown, never graded)
 * and outcome areas. Every field carries a comment for the person who edits the JSON files in
 * src/content/{studies,grey,areas}/; the `superRefine` messages say how to fix a bad file.
 * @see docs/decisions/020-evidence-grading.md
 */
import { z } from "zod";

/** Kebab-case ids: lowercase letters, digits and single hyphens. */
const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const EvidenceIdSchema = z.string().regex(idPattern, "use a kebab-case id such as 'kjellgren-2011'");

/** Certainty levels, from lowest to highest. */
export const CERTAINTY_LEVELS = ["no-controlled-evidence", "very-low", "low", "moderate", "high"] as const;
export const CertaintyLevelSchema = z.enum(CERTAINTY_LEVELS);
export type CertaintyLevel = z.infer<typeof CertaintyLevelSchema>;

/** Outcome area ids. Adding an area means adding its JSON file in src/content/areas/ too. */
export const AREA_IDS = [
  "back-neck-pain",
  "sleep",
  "stress-relaxation",
  "headache",
  "fibromyalgia",
  "blood-pressure",
] as const;
export const AreaIdSchema = z.enum(AREA_IDS);
export type AreaId = z.infer<typeof AreaIdSchema>;

export const DESIGNS = [
  "randomized-active-control",
  "randomized-inactive-control",
  "randomized-add-on",
  "randomized-control-not-reported",
  "randomized-within-person",
  "single-arm",
  "survey",
  "single-case",
] as const;
/**
 * Study designs. "active control": the comparison group did something like it without the mat
 * (for example relaxation practice). "inactive control": waiting list or no treatment. "add-on":
 * both groups had the same treatment (for example exercise) and one group also had the mat, with
 * no sham. "within-person": the same people tried the conditions in a randomized order
 * (crossover).
 */
export const DesignSchema = z.enum(DESIGNS);
export type Design = z.infer<typeof DesignSchema>;

/** Designs that randomize, so that a difference between arms or conditions can be attributed. */
export const RANDOMIZED_DESIGNS: readonly Design[] = [
  "randomized-active-control",
  "randomized-inactive-control",
  "randomized-add-on",
  "randomized-control-not-reported",
  "randomized-within-person",
];

/**
 * Blinding. "open-label": the source says everyone knew who used the mat. "none": the source does
 * not use the word, but the design rules blinding out (no sham, so people knew whether they had a
 * mat). "not-reported": the notes do not say and the design does not settle it.
 */
export const BlindingSchema = z.enum(["open-label", "none", "not-reported", "assessor-blinded", "participant-blinded"]);
export type Blinding = z.infer<typeof BlindingSchema>;

/**
 * Which way a result went. For a between-groups result it is the mat compared with the control;
 * for a within-group result it is the change over time; for side effects, "worse" means some were
 * seen and "no-difference" means none were reported. "changed": a body measure moved, but the
 * change is neither good nor bad in itself (a slower heart rate in healthy people).
 */
export const DirectionSchema = z.enum(["improved", "no-difference", "worse", "mixed", "changed"]);
export type Direction = z.infer<typeof DirectionSchema>;

/**
 * What a result compares. "between-groups": the mat group (or condition) with the control.
 * "within-group": before with after, inside one group or inside each group separately; even in
 * a randomized trial this says nothing about the mat itself. "side-effects": harms counted in the
 * people who used the mat, compared with nothing.
 */
export const ComparisonSchema = z.enum(["between-groups", "within-group", "side-effects"]);
export type Comparison = z.infer<typeof ComparisonSchema>;

/**
 * For a within-group result, where the change was seen. "single": the study had one group (or
 * only the mat condition was measured). "mat-only": the mat group changed and the control group
 * did not, but the sources report no direct test between the two. "all": every group or
 * condition changed alike, with the mat or without it.
 */
export const WithinGroupsSchema = z.enum(["single", "mat-only", "all"]);
export type WithinGroups = z.infer<typeof WithinGroupsSchema>;

/** Condition keys, so that areas can tell whether a study enrolled the people they are about. */
export const ConditionKeySchema = z.enum([
  "chronic-low-back-pain",
  "chronic-neck-pain",
  "back-neck-muscle-tension-pain",
  "sleep-problems",
  "headache",
  "fibromyalgia",
  "high-blood-pressure",
]);
export type ConditionKey = z.infer<typeof ConditionKeySchema>;

export const LIMITATION_KINDS = {
  "open-label": "open label: participants knew they used the mat",
  "blinding-not-reported": "blinding not reported",
  pilot: "pilot study",
  "small-sample": "small sample",
  "sample-size-not-reported": "number of participants not reported",
  "inactive-control": "compared with waiting list or no treatment",
  "no-sham": "no sham or placebo comparison",
  "control-not-reported": "type of control not reported",
  "no-control-group": "no control group",
  "healthy-volunteers": "healthy volunteers",
  "single-sessions": "single sessions only",
  "short-follow-up": "short follow-up",
  "enrolled-analysed-gap": "the registry lists more people than were analysed, and the sources do not say why",
  "self-reported-outcomes": "self-reported outcomes",
  "dose-not-reported": "session length not reported",
} as const;
export type LimitationKind = keyof typeof LIMITATION_KINDS;
const limitationKinds = Object.keys(LIMITATION_KINDS) as [LimitationKind, ...LimitationKind[]];

/** Empty string means "not seen in any source": leave it empty rather than guess. */
const notSeen = z.string().default("");

export const OutcomeSchema = z
  .object({
    /** Short kebab-case id, unique within the study, used by areas to count this outcome ("pain-nrs"). */
    id: EvidenceIdSchema,
    /** What was measured, in plain words ("pain intensity, 0-10 numeric rating scale"). */
    measure: z.string().min(3),
    /** Which way the result went (see DirectionSchema): for between-groups, the mat against the control. */
    direction: DirectionSchema,
    /** What was compared (see ComparisonSchema). Code it by what the source compared, never by what it suggests. */
    comparison: ComparisonSchema,
    /** Within-group results only: where the change was seen (see WithinGroupsSchema). Leave it out otherwise. */
    groups: WithinGroupsSchema.optional(),
    /** "self-report" (questionnaire, rating) or "instrument" (blood pressure cuff, lab test): blinding matters more for self-report. */
    measuredBy: z.enum(["self-report", "instrument"]),
    /** The result in our own words, with figures only as the source states them. */
    detail: z.string().min(3),
  })
  .strict();
export type Outcome = z.infer<typeof OutcomeSchema>;

export const SourceLinkSchema = z
  .object({
    /** Link text ("DOI", "PubMed", "ClinicalTrials.gov"). */
    label: z.string().min(1),
    /** Absolute https URL of the source. */
    url: z.string().url().startsWith("https://", "source links must use https"),
  })
  .strict();

export const StudySchema = z
  .object({
    /** Full citation as published: authors, title, journal, year, volume and pages. */
    citation: z.string().min(20),
    /** Short title for headings and lists. */
    title: z.string().min(5),
    /** First author and year as readers see it ("Kjellgren 2011"). */
    shortName: z.string().min(4),
    /** Publication year. */
    year: z.number().int().min(1950).max(2100),
    /** DOI without the "https://doi.org/" prefix, e.g. "10.1089/acm.2010.0135". Empty when not seen. */
    doi: notSeen.refine(
      (v) => v === "" || v.startsWith("10."),
      "a DOI starts with '10.'; leave it empty when not seen",
    ),
    /** PubMed id (digits). Empty when not seen. */
    pmid: notSeen.refine((v) => v === "" || /^\d+$/.test(v), "a PMID is digits only"),
    /** PubMed Central id ("PMC3446809"). Empty when not seen. */
    pmcid: notSeen.refine((v) => v === "" || /^PMC\d+$/.test(v), "a PMCID looks like 'PMC3446809'"),
    /** Trial registry id ("NCT02487368"). Empty when not seen. */
    registryId: notSeen,
    /** Design (see DesignSchema for the meaning of each value). */
    design: DesignSchema,
    /** The control, in plain words ("waiting list", "relaxation practice without a mat", "not reported"). */
    control: z.string().min(3),
    /** The comparison in two to five words, for charts and lists ("waiting list", "exercise without the mat", "no comparison group"). */
    comparator: z.string().min(3).max(40),
    /** Whether participants or assessors were blinded; "not-reported" when the notes do not say. */
    blinding: BlindingSchema,
    population: z
      .object({
        /** "patients" when people were enrolled for a condition, otherwise "healthy-volunteers". */
        kind: z.enum(["patients", "healthy-volunteers"]),
        /** Who took part, in plain words ("adults with chronic low back pain"). */
        description: z.string().min(3),
        /** Condition keys of the enrolled people (empty for healthy volunteers). */
        conditions: z.array(ConditionKeySchema).default([]),
      })
      .strict(),
    /** Number of participants analysed; null when not seen. */
    nAnalysed: z.number().int().positive().nullable(),
    /** Number enrolled, when a source gives a different figure from the number analysed; null otherwise. */
    nEnrolled: z.number().int().positive().nullable().default(null),
    dose: z
      .object({
        /** Minutes per session; null when not seen or not verified. */
        minutesPerSession: z.number().positive().nullable(),
        /** Sessions per week; null when not seen. */
        sessionsPerWeek: z.number().positive().nullable(),
        /** Length of the use period in weeks; null when not seen or for single sessions. */
        weeks: z.number().positive().nullable(),
        /** Anything else about the dose in plain words, including what is unverified. */
        notes: z.string().default(""),
      })
      .strict(),
    /** Device used, as the source describes it. Empty when not seen. */
    device: notSeen,
    /** Every outcome with its direction. */
    outcomes: z.array(OutcomeSchema).min(1, "list at least one outcome with its direction"),
    /** Limitations, each a kind from LIMITATION_KINDS with an optional note. */
    limitations: z
      .array(z.object({ kind: z.enum(limitationKinds), note: z.string().default("") }).strict())
      .default([]),
    /** One-paragraph summary in our own words. */
    summary: z.string().min(20),
    /** Where the facts come from. */
    sources: z.array(SourceLinkSchema).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.outcomes.forEach((o, i) => {
      if (ids.has(o.id))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i, "id"],
          message: `outcome id '${o.id}' is used twice in this study: make each outcome id unique`,
        });
      ids.add(o.id);
      const oneGroup = s.design === "single-arm" || s.design === "survey" || s.design === "single-case";
      if (o.comparison === "between-groups" && oneGroup) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i, "comparison"],
          message: `a ${s.design} study has no control group: set comparison to "within-group"`,
        });
      }
      if (o.comparison === "within-group" && o.groups === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i, "groups"],
          message: `a within-group result needs "groups": "single", "mat-only" or "all" (where the change was seen)`,
        });
      }
      if (o.comparison !== "within-group" && o.groups !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i, "groups"],
          message: `"groups" is only for within-group results: remove it`,
        });
      }
      if (oneGroup && o.groups !== undefined && o.groups !== "single") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i, "groups"],
          message: `a ${s.design} study has one group: set "groups" to "single"`,
        });
      }
      if (o.comparison === "side-effects" && o.direction !== "worse" && o.direction !== "no-difference") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i, "direction"],
          message: `side effects are "worse" (some were seen) or "no-difference" (none reported)`,
        });
      }
    });
    if (s.population.kind === "healthy-volunteers" && s.population.conditions.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["population", "conditions"],
        message: 'healthy volunteers have no condition keys: empty the list or set kind to "patients"',
      });
    }
    if (s.population.kind === "patients" && s.population.conditions.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["population", "conditions"],
        message: "patients were enrolled for a condition: add its key to population.conditions",
      });
    }
    if (s.nEnrolled !== null && s.nAnalysed !== null && s.nEnrolled < s.nAnalysed) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["nEnrolled"],
        message: "nEnrolled is smaller than nAnalysed: check both figures against the source",
      });
    }
  });
export type Study = z.infer<typeof StudySchema>;
export type StudyInput = z.input<typeof StudySchema>;

export const GreyItemSchema = z
  .object({
    /**
     * Why this item is context and not graded evidence: grey literature, a related device, a
     * general acupressure review, or a method we use (such as a sleep diary) that is not about mats.
     */
    kind: z.enum(["grey-literature", "related-device", "general-review", "method"]),
    /** Full citation, or the best description the notes give when there is no publication. */
    citation: z.string().min(10),
    /** Short title for headings and lists. */
    title: z.string().min(5),
    /** Author(s) and year as readers see it ("Zilberter survey"). */
    shortName: z.string().min(3),
    /** Year; null when not seen. */
    year: z.number().int().min(1950).max(2100).nullable(),
    /** DOI without prefix; empty when not seen. */
    doi: notSeen.refine(
      (v) => v === "" || v.startsWith("10."),
      "a DOI starts with '10.'; leave it empty when not seen",
    ),
    /** What it is, in plain words ("uncontrolled user survey, 126 replies"). */
    description: z.string().min(10),
    /** Why it is shown but never graded, for readers. */
    whyNotGraded: z.string().min(10),
    /** Areas this item gives context for (shown beside, never counted in, the grade). */
    areas: z.array(AreaIdSchema).default([]),
    /** Where the facts come from. */
    sources: z.array(SourceLinkSchema).default([]),
  })
  .strict();
export type GreyItem = z.infer<typeof GreyItemSchema>;

export const OutcomeRefSchema = z
  .object({
    /** Study id (the file name in src/content/studies/ without .json). */
    study: EvidenceIdSchema,
    /** Outcome id inside that study. */
    outcome: EvidenceIdSchema,
  })
  .strict();
export type OutcomeRef = z.infer<typeof OutcomeRefSchema>;

export const AreaSchema = z
  .object({
    /** Heading readers see ("Back and neck pain"). */
    title: z.string().min(3),
    /** Position in the evidence table (1 first). */
    order: z.number().int().positive(),
    /** What this area covers, one or two sentences. */
    description: z.string().min(10),
    /** True when the area is about harm (blood pressure), not benefit: pages label it as a safety signal. */
    safetySignal: z.boolean().default(false),
    /**
     * Who the question is about. "anyone" when healthy people are the right population; otherwise the
     * condition keys of the people the question concerns (trials in other people count as indirect).
     */
    population: z.union([z.literal("anyone"), z.array(ConditionKeySchema).min(1)]),
    /** Study outcomes that count toward this area. */
    outcomes: z.array(OutcomeRefSchema).default([]),
  })
  .strict()
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.outcomes.forEach((r, i) => {
      const key = `${r.study}/${r.outcome}`;
      if (seen.has(key))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["outcomes", i],
          message: `${key} is listed twice: remove one`,
        });
      seen.add(key);
    });
  });
export type Area = z.infer<typeof AreaSchema>;

/** An entry as loaded: the id (file name) beside its data. */
export interface Entry<T> {
  id: string;
  data: T;
}
