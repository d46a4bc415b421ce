/**
 * A person's own mat: what the "add my mat" form accepts, and how such a mat joins the
 * catalogue's shape so the comparison, the pressure model and the session log treat it alike.
 * @module
 */
import { z } from "zod";
import { freeText, lineText } from "../text";
import type { Mat } from "./schema";

/** Ids of a person's own mats carry this prefix wherever a mat id is expected. */
export const OWN_MAT_PREFIX = "mine-";

/** An empty field means "I don't know"; anything else must be a whole number in range. */
function optionalWhole(label: string, min: number, max: number, unit: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return null;
      const n = Number(v.replace(/[\s,]/g, ""));
      if (!Number.isInteger(n)) {
        ctx.addIssue({
          code: "custom",
          message: `Enter the ${label} as a whole number${unit ? ` of ${unit}` : ""}, or leave it empty if you do not know it.`,
        });
        return z.NEVER;
      }
      if (n < min || n > max) {
        ctx.addIssue({
          code: "custom",
          message: `The ${label} should be between ${min.toLocaleString("en-GB")} and ${max.toLocaleString("en-GB")}${unit ? ` ${unit}` : ""}.`,
        });
        return z.NEVER;
      }
      return n;
    });
}

/** At most this many own mats per person. */
export const MAX_USER_MATS = 20;

export const UserMatFormSchema = z
  .object({
    /** What the person calls the mat, e.g. "Blue mat from the gym". */
    name: lineText(
      z
        .string({ required_error: "Give the mat a name." })
        .trim()
        .min(2, "Give the mat a name of at least 2 characters.")
        .max(60, "Keep the name under 60 characters."),
    ),
    spikeCount: optionalWhole("number of spikes", 10, 100_000, ""),
    lengthMm: optionalWhole("length", 50, 3000, "mm"),
    widthMm: optionalWhole("width", 50, 2000, "mm"),
    note: freeText(z.string().trim().max(300, "Keep the note under 300 characters."))
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((v, ctx) => {
    if ((v.lengthMm === null) !== (v.widthMm === null))
      ctx.addIssue({
        code: "custom",
        path: [v.lengthMm === null ? "lengthMm" : "widthMm"],
        message: "Give both the length and the width, or leave both empty.",
      });
    if (v.lengthMm !== null && v.widthMm !== null && v.widthMm > v.lengthMm)
      ctx.addIssue({
        code: "custom",
        path: ["widthMm"],
        message: "The width is larger than the length: put the longer side in length.",
      });
  });

export type UserMatInput = z.infer<typeof UserMatFormSchema>;

export interface UserMat extends UserMatInput {
  id: string;
}

/** A mat a person can pick when logging a session: a catalogue id or an own mat's id, and its name. */
export interface MatOption {
  id: string;
  name: string;
}

export function ownMatId(id: string): string {
  return `${OWN_MAT_PREFIX}${id}`;
}

/** The database id inside an own-mat id, or null when `matId` is not one. */
export function parseOwnMatId(matId: string): string | null {
  return matId.startsWith(OWN_MAT_PREFIX) ? matId.slice(OWN_MAT_PREFIX.length) : null;
}

/** A person's mat in the catalogue's shape (figures labelled "as you entered it"). */
export function toCatalogueMat(mat: UserMat): Mat {
  const entered = (known: boolean) => ({
    basis: known ? ("owner" as const) : null,
    source: known ? "entered by you" : null,
    studyId: null,
    note: null,
  });
  const sized = mat.lengthMm !== null && mat.widthMm !== null;
  return {
    name: mat.name,
    kind: "own",
    form: "mat",
    maker: null,
    summary: mat.note ?? "A mat you added to your account.",
    spikeCount: { value: mat.spikeCount, qualifier: "exact", ...entered(mat.spikeCount !== null) },
    size: {
      lengthMm: sized ? mat.lengthMm : null,
      widthMm: sized ? mat.widthMm : null,
      statedAs: null,
      ...entered(sized),
    },
    spikeMaterial: { value: null, ...entered(false) },
    tipShape: { value: null, ...entered(false) },
    cover: { value: null, ...entered(false) },
    filling: { value: null, ...entered(false) },
    foamThickness: { valueMm: null, ...entered(false) },
    order: 999,
  };
}
