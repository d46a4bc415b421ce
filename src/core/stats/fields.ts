/**
 * Field parsers shared by the row parsers of the statistics engine. Each failure is a
 * {@link ValidationError} whose message names the row, so a caller can print it as one line.
 * @module
 */
import { ValidationError } from "../errors";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A row-level failure: "row 7: value "abc" is not a number". */
export function rowError(row: number, problem: string): ValidationError {
  return new ValidationError(`row ${row}: ${problem}`, { [`row ${row}`]: [problem] });
}

/** A finite decimal number (no hex, no Infinity, no blanks). */
export function parseDecimal(text: string, row: number, column: string): number {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) {
    throw rowError(row, trimmed === "" ? `${column} is empty` : `${column} "${trimmed}" is not a number`);
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw rowError(row, `${column} "${trimmed}" is out of range`);
  return value;
}

/** A safe integer written in decimal digits. */
export function parseInteger(text: string, row: number, column: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw rowError(row, trimmed === "" ? `${column} is empty` : `${column} "${trimmed}" is not an integer`);
  }
  return Number(trimmed);
}
