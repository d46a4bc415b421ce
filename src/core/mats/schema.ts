/**
 * The mat catalogue schema: one JSON file per mat in src/content/mats/ (the file name is the
 * mat's id, in kebab-case). Every value records where it comes from; unknown values stay null.
 * Written for the person who edits the data: each field says what to put in it.
 * @module
 */
import { z } from "zod";
import type { MatGeometry } from "../pressure/model";

/**
 * Where a value comes from.
 * - "maker": the maker states it (shown as "as stated by the maker"; we have not measured it).
 * - "study": a study in the evidence database reports it (set `studyId`).
 * - "archetype": a typical value for a kind of mat, not a product (only in archetype entries).
 * - "owner": entered by a signed-in person for their own mat (never in the catalogue files).
 */
export const SpecBasisSchema = z.enum(["maker", "study", "archetype", "owner"]);
export type SpecBasis = z.infer<typeof SpecBasisSchema>;

/** The provenance every specification carries. */
const provenance = {
  /** Where the value comes from; null only when the value itself is null (unknown). */
  basis: SpecBasisSchema.nullable(),
  /**
   * Where to check it, in words a reader can follow: for example "maker's product information,
   * as summarised in matwise's research notes". Required when the value is known.
   */
  source: z.string().trim().min(1).nullable(),
  /** With basis "study": the id of the study in the evidence collection, e.g. "olsson-2011". */
  studyId: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use the study's kebab-case id, e.g. olsson-2011.")
    .nullable()
    .default(null),
  /** Anything a reader should know about this value, in one or two sentences (optional). */
  note: z.string().trim().min(1).nullable().default(null),
};

type Provenance = { basis: SpecBasis | null; source: string | null; studyId: string | null };

/** Cross-field checks shared by every specification; messages say how to fix the data. */
function checkProvenance(spec: Provenance, hasValue: boolean, ctx: z.RefinementCtx): void {
  if (hasValue && spec.basis === null)
    ctx.addIssue({
      code: "custom",
      path: ["basis"],
      message: 'A known value needs a basis: "maker", "study" or "archetype".',
    });
  if (hasValue && spec.source === null)
    ctx.addIssue({
      code: "custom",
      path: ["source"],
      message: "A known value needs a source a reader can check; say where the figure comes from.",
    });
  if (!hasValue && spec.basis !== null)
    ctx.addIssue({
      code: "custom",
      path: ["basis"],
      message: "The value is null (unknown), so basis must be null too; fill in the value or clear the basis.",
    });
  if (spec.basis === "study" && spec.studyId === null)
    ctx.addIssue({
      code: "custom",
      path: ["studyId"],
      message: 'basis "study" needs studyId, the id of the study in the evidence collection (e.g. "olsson-2011").',
    });
  if (spec.basis !== "study" && spec.studyId !== null)
    ctx.addIssue({
      code: "custom",
      path: ["studyId"],
      message: 'studyId is only for basis "study"; remove it or change the basis.',
    });
}

/** A text specification such as a material; null when no source states it. */
export const TextSpecSchema = z
  .object({
    /** The value in plain words, e.g. "ABS plastic". null when no source states it. */
    value: z.string().trim().min(1).nullable(),
    ...provenance,
  })
  .superRefine((spec, ctx) => checkProvenance(spec, spec.value !== null, ctx));

/** The number of spikes (or points, or needles) on the mat. */
export const SpikeCountSchema = z
  .object({
    /** Number of spikes as a whole number, e.g. 6210. null when no source gives it: never estimate it. */
    value: z.number().int().positive().nullable(),
    /**
     * How the source words it: "exact", "about" (~8,000), "at least" (≥ 8,820) or "more than" (> 6,000).
     * The model computes with the number itself, so say which way the truth may lie.
     */
    qualifier: z.enum(["exact", "about", "at least", "more than"]).default("exact"),
    ...provenance,
  })
  .superRefine((spec, ctx) => {
    checkProvenance(spec, spec.value !== null, ctx);
    if (spec.value === null && spec.qualifier !== "exact")
      ctx.addIssue({
        code: "custom",
        path: ["qualifier"],
        message: 'The count is unknown (null), so leave qualifier out or set it to "exact".',
      });
  });

/** The mat's outer size. Length and width go together: both known or both null. */
export const SizeSpecSchema = z
  .object({
    /** Length of the spiked surface's outline in millimetres (the longer side), e.g. 740. */
    lengthMm: z
      .number()
      .positive()
      .max(3000, "More than 3 m long? Check the unit: lengths are in millimetres.")
      .nullable(),
    /** Width in millimetres, e.g. 400. */
    widthMm: z
      .number()
      .positive()
      .max(2000, "More than 2 m wide? Check the unit: widths are in millimetres.")
      .nullable(),
    /** The size exactly as the source words it, when it is not in millimetres, e.g. "20 × 9 inches". */
    statedAs: z.string().trim().min(1).nullable().default(null),
    ...provenance,
  })
  .superRefine((spec, ctx) => {
    const known = spec.lengthMm !== null && spec.widthMm !== null;
    if ((spec.lengthMm === null) !== (spec.widthMm === null))
      ctx.addIssue({
        code: "custom",
        path: ["widthMm"],
        message: "Give both lengthMm and widthMm, or set both to null if the size is unknown.",
      });
    if (known && (spec.widthMm as number) > (spec.lengthMm as number))
      ctx.addIssue({
        code: "custom",
        path: ["widthMm"],
        message: "widthMm is larger than lengthMm; put the longer side in lengthMm.",
      });
    if (!known && spec.statedAs !== null)
      ctx.addIssue({
        code: "custom",
        path: ["statedAs"],
        message: "statedAs is set but the size is null; convert it to millimetres in lengthMm and widthMm.",
      });
    checkProvenance(spec, known, ctx);
  });

/** A thickness in millimetres; null when no source states it. */
export const ThicknessSpecSchema = z
  .object({
    /** Thickness in millimetres. No source we know states foam thickness for any mat: keep it null until one does. */
    valueMm: z
      .number()
      .positive()
      .max(200, "More than 200 mm? Check the unit: thickness is in millimetres.")
      .nullable(),
    ...provenance,
  })
  .superRefine((spec, ctx) => checkProvenance(spec, spec.valueMm !== null, ctx));

/** One mat in the catalogue: a named product, or a generic archetype used for illustration. */
export const MatSchema = z
  .object({
    /** The name readers see, e.g. "Shakti original". Archetypes say what they are, e.g. "Typical mat (archetype)". */
    name: z.string().trim().min(2).max(60),
    /** "product" for a named, sold mat; "archetype" for a generic kind of mat that illustrates the model; "own" only for a person's own mat (never in the catalogue files). */
    kind: z.enum(["product", "archetype", "own"]),
    /** "mat" for a full-size spiked mat; "applicator" for smaller Kuznetsov- or Lyapko-type pads. */
    form: z.enum(["mat", "applicator"]),
    /** The maker or brand, e.g. "Rattlebug". null for archetypes. */
    maker: z.string().trim().min(1).nullable(),
    /** One or two sentences in our own words on what this mat is. No health claims. */
    summary: z.string().trim().min(10).max(400),
    /** Number of spikes, points or needles. */
    spikeCount: SpikeCountSchema,
    /** Outer size. The model needs it, with the spike count, to compute spike density. */
    size: SizeSpecSchema,
    /** What the spikes are made of, e.g. "ABS plastic", "metal needles set in rubber". */
    spikeMaterial: TextSpecSchema,
    /** Shape of the spike tips when a source describes it, e.g. "rounded". */
    tipShape: TextSpecSchema,
    /** Cover fabric, e.g. "cotton". */
    cover: TextSpecSchema,
    /** What is inside, e.g. "foam", "coconut fibre". */
    filling: TextSpecSchema,
    /** Foam thickness. Not known for any mat today. */
    foamThickness: ThicknessSpecSchema,
    /** Sort order on the page; lower comes first (archetypes 1–9, products 10 and up). */
    order: z.number().int().min(0).max(999),
  })
  .strict()
  .superRefine((mat, ctx) => {
    if (mat.kind === "archetype" && mat.maker !== null)
      ctx.addIssue({
        code: "custom",
        path: ["maker"],
        message: 'An archetype is not a product: set maker to null, or change kind to "product".',
      });
    if (mat.kind === "product" && mat.maker === null)
      ctx.addIssue({
        code: "custom",
        path: ["maker"],
        message: 'A product needs its maker or brand; if it is a generic kind of mat, set kind to "archetype".',
      });
    const specs0 = [
      mat.spikeCount,
      mat.size,
      mat.spikeMaterial,
      mat.tipShape,
      mat.cover,
      mat.filling,
      mat.foamThickness,
    ];
    if (mat.kind !== "own" && specs0.some((spec) => spec.basis === "owner"))
      ctx.addIssue({
        code: "custom",
        path: ["kind"],
        message:
          'Basis "owner" belongs to a person\'s own mat (kind "own") only; catalogue figures come from a maker, a study or an archetype.',
      });
    if (mat.kind === "own" && specs0.some((spec) => spec.basis !== null && spec.basis !== "owner"))
      ctx.addIssue({
        code: "custom",
        path: ["kind"],
        message: 'A person\'s own mat (kind "own") has only figures they entered: basis "owner".',
      });
    const specs = {
      spikeCount: mat.spikeCount,
      size: mat.size,
      spikeMaterial: mat.spikeMaterial,
      tipShape: mat.tipShape,
      cover: mat.cover,
      filling: mat.filling,
      foamThickness: mat.foamThickness,
    };
    for (const [field, spec] of Object.entries(specs)) {
      if (mat.kind === "product" && spec.basis === "archetype")
        ctx.addIssue({
          code: "custom",
          path: [field, "basis"],
          message:
            'basis "archetype" is only for archetype entries; a product\'s figures come from the "maker" or a "study".',
        });
      if (mat.kind === "archetype" && spec.basis === "maker")
        ctx.addIssue({
          code: "custom",
          path: [field, "basis"],
          message: 'An archetype has no maker: use basis "archetype" and say in source which figures it is built from.',
        });
    }
  });

export type Mat = z.infer<typeof MatSchema>;
export type SpikeCountSpec = z.infer<typeof SpikeCountSchema>;

/** A mat's geometry in the shape the pressure model takes (null where unknown). */
export function getMatGeometry(mat: Pick<Mat, "spikeCount" | "size">): MatGeometry {
  return { spikeCount: mat.spikeCount.value, lengthMm: mat.size.lengthMm, widthMm: mat.size.widthMm };
}

/** How a value's basis is labelled on the page. */
export function getBasisLabel(basis: SpecBasis): string {
  switch (basis) {
    case "maker":
      return "as stated by the maker";
    case "study":
      return "reported in a study";
    case "archetype":
      return "typical figure, not a product";
    case "owner":
      return "as you entered it";
  }
}

/** "6,210", "about 8,000", "at least 8,820", "more than 6,000". */
export function formatSpikeCount(spec: SpikeCountSpec): string | null {
  if (spec.value === null) return null;
  const n = new Intl.NumberFormat("en-GB").format(spec.value);
  return spec.qualifier === "exact" ? n : `${spec.qualifier} ${n}`;
}
