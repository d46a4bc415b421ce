/** What every CLI command module provides, and the process-backed input/output. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ParseArgsConfig } from "node:util";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  readFile: (path) => readFile(path, "utf8"),
};

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface CommandModule {
  /** One line for the command list. */
  summary: string;
  /** Full usage, printed by --help and after a usage error. */
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  minPositionals?: number;
  maxPositionals?: number;
  /** Runs the command and resolves with the exit code (long-running commands may never resolve). */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Project root: the folder with package.json above this file. */
export function projectRoot(): string {
  let dir = resolve(import.meta.dirname);
  while (!existsSync(join(dir, "package.json")) && dir !== "/") dir = resolve(dir, "..");
  return dir;
}
