/**
 * Text put into markup written as a string (HTML pages and pieces, SVG pictures, the Atom feed):
 * one escape for all of them, since HTML and XML need the same four characters replaced for
 * element text and double-quoted attribute values. (CSV has its own writer in `csv.ts`; the
 * islands' JSX escapes by itself.)
 * @module
 */

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** `s` safe as element text or a double-quoted attribute value in HTML or XML. */
export function escapeMarkup(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ENTITIES[c]!);
}
