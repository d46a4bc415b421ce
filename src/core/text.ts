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

/** Free text (a note, a message): tabs and line breaks are kept, any other control character is refused. */
export function freeText(schema: z.ZodString) {
  return schema.refine(isCleanText, "This text holds an invisible control character (such as a NUL byte). Remove it, or type the text again.");
}

/** One line of text (a name): no line breaks, tabs or other control characters. */
export function lineText(schema: z.ZodString) {
  return schema.refine(isCleanLine, "Keep this on one line, without tabs or invisible control characters.");
}
