/**
 * CSV read and write (RFC 4180), pure, over papaparse. Reading checks the header against the
 * expected columns and fails with one line that names the row, so the CLI, the account export
 * and imports all speak the same messages. Writing quotes per RFC 4180 and guards cells that
 * a spreadsheet would run as a formula.
 * @module
 */
import Papa from "papaparse";
import { ValidationError } from "./errors";

/** A file that cannot be read as the expected CSV; the message is one line naming the row. */
export class CsvError extends ValidationError {
  constructor(message: string) {
    super(message, { "": [message] });
  }
}

/** The message for a file that is not text at all. */
export const NOT_TEXT =
  "the file is not CSV text (it holds binary data); save it as CSV (comma-separated values, UTF-8) and try again";

/** One data row: `row` is its 1-based line number (the header is row 1), `fields` by column. */
export interface CsvRow<Column extends string> {
  row: number;
  fields: Record<Column, string>;
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** Splits CSV text into records with the line each starts on (LF or CRLF, optional BOM; blank lines dropped). */
function readRecords(text: string): CsvRecord[] {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (source.trim() === "") return [];
  // A NUL never occurs in text: the file is a spreadsheet, a picture, or text in UTF-16.
  if (source.includes("\u0000")) throw new CsvError(NOT_TEXT);
  const records: CsvRecord[] = [];
  let line = 1;
  let offset = 0;
  let unclosed = null as number | null;
  Papa.parse<string[]>(source, {
    delimiter: ",",
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      const fields = result.data;
      if (result.errors.some((e) => e.code === "MissingQuotes")) unclosed ??= line;
      if (!(fields.length === 1 && (fields[0] ?? "").trim() === "")) records.push({ line, fields });
      for (let i = offset; i < end && i < source.length; i++)
        if (source[i] === "\n" || (source[i] === "\r" && source[i + 1] !== "\n")) line++;
      offset = end;
    },
  });
  if (unclosed !== null) throw new CsvError(`row ${unclosed}: a quoted field is not closed`);
  return records;
}

/** The rows under `header` as objects keyed by `columns` (the header must hold exactly those, in any order). */
function toRows<Column extends string>(
  records: readonly CsvRecord[],
  columns: readonly Column[],
  expected: string,
): CsvRow<Column>[] {
  const header = records[0];
  if (!header) throw new CsvError(`row 1: the file is empty; the header must be ${expected}`);
  const position = new Map<string, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim();
    if (!(columns as readonly string[]).includes(name))
      throw new CsvError(`row ${header.line}: unexpected column "${name}" (the header must be ${expected})`);
    if (position.has(name)) throw new CsvError(`row ${header.line}: column "${name}" appears twice`);
    position.set(name, i);
  });
  const missing = columns.filter((column) => !position.has(column));
  if (missing.length > 0)
    throw new CsvError(
      `row ${header.line}: missing column ${missing.map((m) => `"${m}"`).join(", ")} (the header must be ${expected})`,
    );
  return records.slice(1).map((record) => {
    if (record.fields.length !== columns.length)
      throw new CsvError(
        `row ${record.line}: expected ${columns.length} fields (${expected}), found ${record.fields.length}`,
      );
    const fields = Object.create(null) as Record<Column, string>;
    for (const column of columns) fields[column] = record.fields[position.get(column)!]!;
    return { row: record.line, fields };
  });
}

/**
 * Parses CSV text whose header must hold exactly `columns` (in any order). Throws
 * {@link CsvError} naming the row on a missing, unknown or duplicated column or a row with the
 * wrong number of fields.
 */
export function parseCsv<Column extends string>(text: string, columns: readonly Column[]): CsvRow<Column>[] {
  return toRows(readRecords(text), columns, columns.join(","));
}

/**
 * Parses CSV text whose header must hold `columns` and may hold any of `optional` (in any order):
 * the header is the first record that is not blank, and an optional column it names is then
 * required in every row, like the others. A row's optional field is undefined when the file has
 * no such column. Messages are those of {@link parseCsv} for the columns the file has.
 */
export function parseCsvWithOptional<Column extends string, Optional extends string = never>(
  text: string,
  columns: readonly Column[],
  optional: readonly Optional[] = [],
): (CsvRow<Column> & { fields: Partial<Record<Optional, string>> })[] {
  const records = readRecords(text);
  const header = new Set(records[0]?.fields.map((name) => name.trim()) ?? []);
  const present = optional.filter((column) => header.has(column));
  const all = [...columns, ...present];
  return toRows<Column | Optional>(records, all, all.join(","));
}

/** One cell as text: dates as ISO 8601, objects as JSON, and a leading = + - @ tab or CR made inert with a quote mark. */
function cellText(value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = "";
  else if (value instanceof Date) s = value.toISOString();
  else if (typeof value === "string") s = value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") s = value.toString();
  else s = JSON.stringify(value) ?? "";
  return /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s) ? `'${s}` : s;
}

/**
 * Writes rows as CSV with the given columns (a header line first, CRLF line ends, RFC 4180
 * quoting). Cells that start like a spreadsheet formula are prefixed with ' so they stay text;
 * plain negative numbers are left as they are.
 */
export function writeCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const data = rows.map((r) => columns.map((c) => cellText(Object.hasOwn(r, c) ? r[c] : undefined)));
  return `${Papa.unparse({ fields: [...columns], data }, { newline: "\r\n", quotes: false, quoteChar: '"', escapeChar: '"' })}\r\n`;
}
