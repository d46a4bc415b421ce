/**
 * The safety check's data contract: questions, sources and rules, written as data in
 * `src/content/safety/safety-check.json` and checked here. Every field is documented for
 * the person who edits that file; cross-field checks say how to fix a mistake.
 * @module
 */
import { z } from "zod";
import { BODY_AREAS, SAFETY_LEVELS } from "./areas";

export { BODY_AREAS, SAFETY_LEVELS } from "./areas";

export const SafetyLevelSchema = z.enum(SAFETY_LEVELS);
export type SafetyLevel = z.infer<typeof SafetyLevelSchema>;

/** The three answers every question offers. "unsure" is always treated like "yes". */
export const ANSWERS = ["yes", "no", "unsure"] as const;
export const AnswerSchema = z.enum(ANSWERS);
export type Answer = z.infer<typeof AnswerSchema>;

/** Where on the body a skin problem is; asked after skin questions. */
export const BodyAreaSchema = z.enum(BODY_AREAS);
export type BodyArea = z.infer<typeof BodyAreaSchema>;

const idSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    "Use a kebab-case id: lower-case letters, digits and single hyphens, such as 'blood-thinners'.",
  );

export const SafetyGroupSchema = z.object({
  /** Stable kebab-case id of the group, used in page anchors. */
  id: idSchema,
  /** Heading shown above the group's questions, in plain words. */
  title: z.string().min(3),
  /** Optional sentence under the heading that says why we ask. */
  intro: z.string().optional(),
});
export type SafetyGroup = z.infer<typeof SafetyGroupSchema>;

export const SafetyQuestionSchema = z.object({
  /** Stable kebab-case id; it is also the form field name, so do not rename it lightly. */
  id: idSchema,
  /** Id of the group (from `groups`) the question is shown in. */
  group: idSchema,
  /** The question as the person reads it; answerable with Yes, No or Not sure. */
  text: z.string().min(10),
  /** Optional hint under the question: examples, or what counts. */
  help: z.string().optional(),
  /**
   * Ask this question only when another question was answered "yes" or "unsure"
   * (for example the back-pain red flags, asked only of people with back pain).
   * The gating question must come earlier and may not itself be gated.
   */
  askedIf: idSchema.optional(),
  /** When true, a "yes" or "unsure" is followed by "where on your body?" (body areas). */
  asksWhere: z.boolean().default(false),
  /**
   * The same sign in a few words for lists in guides ("weight loss you cannot explain"). Required
   * for back-pain red flags: guides render their list from these, so there is one list to edit.
   */
  listLabel: z.string().min(3).optional(),
});
export type SafetyQuestion = z.infer<typeof SafetyQuestionSchema>;

export const SOURCE_KINDS = ["study", "trial-exclusion", "overview", "maker", "red-flag"] as const;

export const SafetySourceSchema = z.object({
  /** Stable kebab-case id that rules point to with `sourceId`. */
  id: idSchema,
  /** Readable name of the source, shown with every finding. */
  label: z.string().min(5),
  /**
   * What kind of source this is: "study" (a CONFIRMED study in the evidence notes),
   * "trial-exclusion" (who a registered trial kept out), "overview" (the general safety
   * overview matwise started from), "maker" (a manufacturer's advice: NOT evidence) or
   * "red-flag" (general guidance about back pain itself).
   */
  kind: z.enum(SOURCE_KINDS),
  /**
   * Site path to read more, optionally with a #section: `/evidence/studies/<id>` for studies, a
   * section of the safety guide otherwise.
   */
  href: z
    .string()
    .regex(
      /^\/[a-z0-9/-]*(#[a-z0-9-]+)?$/,
      "Use a site path that starts with '/', such as '/evidence/studies/olsson-2011' or '/guides/acupressure-mat-safety#red-flags'.",
    ),
  /** One sentence on how much weight this source can bear. */
  note: z.string().min(10),
});
export type SafetySource = z.infer<typeof SafetySourceSchema>;

export const SafetyRuleSchema = z.object({
  /** Stable kebab-case id; saved checks keep it, so never reuse an id for a different rule. */
  id: idSchema,
  /** The question this rule reads. It fires when the answer is "yes" or "unsure". */
  question: idSchema,
  /** Outcome when the rule fires. "fine" is what happens when no rule fires, so it is not allowed here. */
  level: SafetyLevelSchema.exclude(["fine"]),
  /**
   * "mat" for a reason to hold back with the mat; "pain" for a back-pain red flag,
   * where the advice is to have the pain itself looked at.
   */
  concern: z.enum(["mat", "pain"]).default("mat"),
  /**
   * True when the advice is to get medical help today (for example signs that nerves at the base of the
   * spine are squeezed). The result then leads with that action and offers no way on to the mat.
   */
  urgent: z.boolean().optional(),
  /** Why this matters, in our own plain words (one or two sentences). */
  reason: z.string().min(20),
  /** What to do, in our own plain words. For "keep-area-off" the page adds the areas named. */
  advice: z.string().min(20),
  /** Id of the main source (from `sources`). */
  sourceId: idSchema,
  /** Ids of further sources that say the same. */
  moreSourceIds: z.array(idSchema).default([]),
});
export type SafetyRule = z.infer<typeof SafetyRuleSchema>;

export const SafetyRuleSetSchema = z
  .object({
    /** Content version of the rules, such as "2026-11-25.1". Change it whenever a rule, question or source changes. */
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/, "Write the version as date.number, such as '2026-11-25.1'."),
    /** Question groups in the order they are shown. */
    groups: z.array(SafetyGroupSchema).min(1),
    /** Questions in the order they are shown. */
    questions: z.array(SafetyQuestionSchema).min(1),
    /** Sources that rules cite. */
    sources: z.array(SafetySourceSchema).min(1),
    /** Rules; the result lists findings in this order within each level. */
    rules: z.array(SafetyRuleSchema).min(1),
  })
  .superRefine((set, ctx) => {
    const dup = (items: { id: string }[], what: string, key: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id))
          ctx.addIssue({
            code: "custom",
            path: [key, i, "id"],
            message: `The ${what} id '${item.id}' is used twice; give each ${what} its own id.`,
          });
        seen.add(item.id);
      });
    };
    dup(set.groups, "group", "groups");
    dup(set.questions, "question", "questions");
    dup(set.sources, "source", "sources");
    dup(set.rules, "rule", "rules");

    const groups = new Set(set.groups.map((g) => g.id));
    const sources = new Set(set.sources.map((s) => s.id));
    const questions = new Map(set.questions.map((q) => [q.id, q]));
    const order = new Map(set.questions.map((q, i) => [q.id, i]));
    const readBy = new Set(set.rules.map((r) => r.question));
    const gates = new Set(set.questions.flatMap((q) => (q.askedIf ? [q.askedIf] : [])));

    set.questions.forEach((q, i) => {
      if (!groups.has(q.group))
        ctx.addIssue({
          code: "custom",
          path: ["questions", i, "group"],
          message: `Question '${q.id}' names group '${q.group}', which is not in 'groups'. Add the group or fix the name.`,
        });
      if (q.askedIf) {
        const gate = questions.get(q.askedIf);
        if (!gate)
          ctx.addIssue({
            code: "custom",
            path: ["questions", i, "askedIf"],
            message: `Question '${q.id}' is asked if '${q.askedIf}', which is not a question. Fix the id.`,
          });
        else if (gate.askedIf)
          ctx.addIssue({
            code: "custom",
            path: ["questions", i, "askedIf"],
            message: `Question '${q.id}' depends on '${gate.id}', which is itself conditional. Point it at an unconditional question.`,
          });
        else if ((order.get(gate.id) ?? 0) > i)
          ctx.addIssue({
            code: "custom",
            path: ["questions", i, "askedIf"],
            message: `Question '${q.id}' depends on '${gate.id}', which comes later. Move '${gate.id}' before it.`,
          });
      }
      if (!readBy.has(q.id) && !gates.has(q.id))
        ctx.addIssue({
          code: "custom",
          path: ["questions", i],
          message: `No rule reads question '${q.id}' and no question depends on it. Add a rule or remove the question.`,
        });
    });
    set.groups.forEach((g, i) => {
      if (!set.questions.some((q) => q.group === g.id))
        ctx.addIssue({
          code: "custom",
          path: ["groups", i],
          message: `Group '${g.id}' has no questions. Remove it or put questions in it.`,
        });
    });

    set.rules.forEach((r, i) => {
      const q = questions.get(r.question);
      if (!q)
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "question"],
          message: `Rule '${r.id}' reads question '${r.question}', which does not exist. Fix the id or add the question.`,
        });
      for (const [j, sid] of [r.sourceId, ...r.moreSourceIds].entries()) {
        if (!sources.has(sid)) {
          ctx.addIssue({
            code: "custom",
            path: ["rules", i, j === 0 ? "sourceId" : "moreSourceIds"],
            message: `Rule '${r.id}' cites source '${sid}', which is not in 'sources'. Add it or fix the id.`,
          });
        }
      }
      if (r.level === "keep-area-off" && q && !q.asksWhere) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "level"],
          message: `Rule '${r.id}' keeps an area off the mat, but question '${q.id}' does not ask where. Set "asksWhere": true on the question.`,
        });
      }
      if (r.urgent && r.level !== "see-professional") {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "urgent"],
          message: `Rule '${r.id}' is urgent; an urgent rule always leads to "see-professional".`,
        });
      }
      if (r.concern === "pain" && r.level !== "see-professional") {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "level"],
          message: `Rule '${r.id}' is a back-pain red flag; those always lead to "see-professional".`,
        });
      }
      if (r.concern === "pain" && q && !q.listLabel) {
        const at = set.questions.indexOf(q);
        ctx.addIssue({
          code: "custom",
          path: ["questions", at, "listLabel"],
          message: `Question '${q.id}' is a back-pain red flag: give it a "listLabel" (a few words) so the guides can list it.`,
        });
      }
    });
  });
export type SafetyRuleSet = z.infer<typeof SafetyRuleSetSchema>;

/** One person's answers: an answer per question id, and body areas per skin question id. */
export const SafetyAnswersSchema = z.object({
  answers: z.record(AnswerSchema),
  areas: z.record(z.array(BodyAreaSchema)).default({}),
});
export type SafetyAnswers = z.infer<typeof SafetyAnswersSchema>;

/** A finding: one rule that fired, with everything needed to explain it. */
export interface SafetyFinding {
  ruleId: string;
  questionId: string;
  /** What the person answered: "unsure" findings say that the careful route was taken. */
  answer: "yes" | "unsure";
  level: Exclude<SafetyLevel, "fine">;
  concern: "mat" | "pain";
  /** Medical help is needed today (the rule's `urgent`). */
  urgent: boolean;
  reason: string;
  advice: string;
  source: SafetySource;
  moreSources: SafetySource[];
  /** For "keep-area-off": the areas named (empty when none were given). */
  areas?: BodyArea[];
}

export interface SafetyResult {
  /** The most serious finding's level, or "fine" when nothing fired. */
  level: SafetyLevel;
  /** Most serious first; within a level, in rule order. */
  findings: SafetyFinding[];
  /** Which rules applied: the content version plus a hash of the rule set. */
  rulesVersion: string;
  /** Every area to keep off the mat, in body order. */
  areasOffMat: BodyArea[];
}

/** What a saved check keeps (saving itself arrives with accounts). */
export const SafetyCheckRecordSchema = z.object({
  /** When the check was taken, as an ISO 8601 timestamp. */
  date: z.string().datetime(),
  /** The `rulesVersion` of the result. */
  rulesVersion: z.string().min(1),
  /** The overall level. */
  level: SafetyLevelSchema,
  /** Ids of the rules that fired. */
  findingIds: z.array(idSchema),
  /** Areas to keep off the mat. */
  areasOffMat: z.array(BodyAreaSchema),
  /** True once the person confirms a healthcare professional agreed to mat use. */
  professionalAgreed: z.boolean().default(false),
});
export type SafetyCheckRecord = z.infer<typeof SafetyCheckRecordSchema>;
