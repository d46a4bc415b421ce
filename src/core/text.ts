/**
 * Text a person types, as every form accepts it. Control characters (a NUL byte, an escape, a
 * bell) are never meant and some break storage (PostgreSQL refuses NUL), so they are refused
 * with a message here, once, for every text field: names, notes, messages.
 * @module
 */
import type { z } from "zod";

/** C0 controls other than tab, newline and carriage return; DEL; C1 controls. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Every control character, tab and newline included. */
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f]/;

/** Whether `s` is free text without control characters (tabs and line breaks are fine). */
export function isCleanText(s: string): boolean {
  return !CONTROL_IN_TEXT.test(s);
}

/** Whether `s` is one line without control characters (no tabs or line breaks either). */
export function isCleanLine(s: string): boolean {
  return !CONTROL_IN_LINE.test(s);
}

export const CONTROL_IN_TEXT_MESSAGE =
  "This text holds invisible control characters (such as a NUL byte). Remove them, or type the text again.";
export const NOT_ONE_LINE_MESSAGE = "Keep this on one line, without tabs or invisible control characters.";

/** Free text (a note, a message): tabs and line breaks are kept, any other control character is refused. */
export function freeText(schema: z.ZodString) {
  return schema.refine(isCleanText, CONTROL_IN_TEXT_MESSAGE);
}

/** One line of text (a name): no line breaks, tabs or other control characters. */
export function lineText(schema: z.ZodString) {
  return schema.refine(isCleanLine, NOT_ONE_LINE_MESSAGE);
}

/**
 * Fields that are never shown, stored or written anywhere as text (passwords: only their hash
 * is kept), to which the free-text rule does not apply.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "newPassword", "currentPassword", "confirm"]);

/**
 * The one free-text rule for a whole form (issue 25): every field but a password refuses
 * control characters other than tab and line breaks. Returns a message per offending field,
 * or null when every field is clean. One-line fields add `isCleanLine` in their own schema.
 */
export function controlCharacterErrors(
  fields: Readonly<Record<string, string | readonly string[]>>,
): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (SECRET_FIELDS.has(name)) continue;
    const values = typeof value === "string" ? [value] : value;
    if (values.some((v) => !isCleanText(v))) errors[name] = [CONTROL_IN_TEXT_MESSAGE];
  }
  return Object.keys(errors).length > 0 ? errors : null;
}
