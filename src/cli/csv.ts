/**
 * What the statistics commands share: the I/O they are given, strict flag parsing, reading a CSV
 * file (parsed by src/core/csv.ts, with one-line errors that name the row), number formatting,
 * and failures mapped to exit codes.
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseCsvWithOptional, type CsvRow } from "../core/csv";
import { ValidationError } from "../core/errors";

import type { CliIo } from "./command";

export type { CliIo };

/** A failure the user can fix: printed as one line, exit code 2. */
export class InputError extends Error {
  override readonly name: string = "InputError";
}

/** The file could not be read at all; its message already names the file. */
export class UnreadableFileError extends InputError {
  override readonly name = "UnreadableFileError";
}

/** Wrong flags or arguments: usage goes to stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Reads a text file; an unreadable file is an {@link UnreadableFileError} whose message names it. */
export async function readTextFile(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const reason =
      error instanceof Error && "code" in error && error.code === "ENOENT"
        ? "no such file"
        : error instanceof Error
          ? error.message
          : String(error);
    throw new UnreadableFileError(`cannot read ${path}: ${reason}`);
  }
}

/**
 * Reads and parses a CSV file (src/core/csv.ts); an unreadable file is an
 * {@link UnreadableFileError}. The header must hold `columns` and may hold any of `optional`; a
 * row's optional field is undefined when the file has no such column.
 */
export async function readCsvFile<Column extends string, Optional extends string = never>(
  io: CliIo,
  path: string,
  columns: readonly Column[],
  optional: readonly Optional[] = [],
): Promise<(CsvRow<Column> & { fields: Partial<Record<Optional, string>> })[]> {
  return parseCsvWithOptional(await readTextFile(io, path), columns, optional);
}

/**
 * Maps a failure to one line on stderr and an exit code: 2 for bad input or usage (with the
 * usage text for usage errors), rethrowing anything unexpected so the dispatcher can report it.
 */
export function reportFailure(error: unknown, io: CliIo, file: string | undefined, usage: string): number {
  // Messages of data errors are prefixed with the file, so each is one self-contained line.
  if (error instanceof UsageError) {
    io.stderr(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (error instanceof InputError || error instanceof ValidationError) {
    const prefix = file !== undefined && !(error instanceof UnreadableFileError) ? `${file}: ` : "";
    io.stderr(`${prefix}${error.message}\n`);
    return 2;
  }
  throw error;
}

/**
 * Parses `FILE [--flag value ...]` strictly (or `FILE... [--flag value ...]` with `many`): an
 * unknown flag, a missing value or a wrong number of files is a {@link UsageError}. `help` is
 * true when --help / -h was given.
 */
export function parseCommandLine<Options extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: Options,
  many = false,
): { help: boolean; file: string | undefined; files: string[]; values: Record<string, string | boolean | undefined> } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split("\n")[0]! : String(error));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values["help"] === true;
  if (!help && (parsed.positionals.length === 0 || (!many && parsed.positionals.length !== 1))) {
    throw new UsageError(
      parsed.positionals.length === 0 ? "missing FILE.csv" : `expected one file, got ${parsed.positionals.length}`,
    );
  }
  return { help, file: parsed.positionals[0], files: parsed.positionals, values };
}

/** A number for people: 4 significant digits, ±∞ for unbounded ends, "n/a" for NaN. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "n/a";
  if (!Number.isFinite(x)) return x > 0 ? "+∞" : "−∞";
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e6 || magnitude < 1e-4) return x.toExponential(3);
  return Number(x.toPrecision(4)).toString();
}

/** A p-value as "p = 0.01234", or "p < 1e-16" for the smallest. */
export function formatP(p: number): string {
  return p < 1e-16 ? "p < 1e-16" : `p = ${formatNumber(p)}`;
}
