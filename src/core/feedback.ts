/**
 * Reader feedback about a page: the shape we accept and the rules it must meet.
 * @module
 */
import { z } from "zod";
import { isSameSitePath } from "./paths";
import { freeText } from "./text";

/** The page part of a reported path (without its #fragment). */
export function pagePath(path: string): string {
  return path.split("#")[0] ?? "";
}

export const FEEDBACK_KINDS = ["error", "unclear", "broken-link", "other"] as const;

export const FeedbackSchema = z.object({
  /** Site path the report is about; must be a path on this site, such as /guides/… */
  path: z
    .string({ required_error: "Say which page this is about." })
    .trim()
    .max(300, "The page path is too long.")
    .regex(/^\/[A-Za-z0-9/_\-.#]*$/, "The page must be a path on this site, starting with /.")
    .refine(
      (p) => isSameSitePath(pagePath(p)),
      "The page must be a path on this site, such as /guides/acupressure-mat-safety.",
    ),
  /** What kind of problem the reader found. */
  kind: z.enum(FEEDBACK_KINDS, { errorMap: () => ({ message: `Choose one of: ${FEEDBACK_KINDS.join(", ")}.` }) }),
  /** The reader's words. */
  message: freeText(
    z
      .string({ required_error: "Write a short message." })
      .trim()
      .min(3, "Write at least a few words.")
      .max(2000, "Keep the message under 2,000 characters."),
  ),
});

export type FeedbackInput = z.infer<typeof FeedbackSchema>;
