/**
 * The `matwise` command: serve, migrate, backup, restore (and the statistics commands).
 * Each command parses its own flags strictly; an unknown command or flag prints usage
 * and exits 2. Errors the user can fix print one clear line, never a stack trace.
 * @module
 */
import { parseArgs } from "node:util";
import { analyzeCommand } from "./analyze";
import { backupCommand, restoreCommand } from "./backup";
import { processIo, type CommandModule } from "./command";
import { migrateCommand } from "./migrate";
import { poolCommand } from "./pool";
import { serveCommand } from "./serve";

/** Commands that parse their own arguments (public statistics interfaces with their own usage). */
const selfParsing: Record<string, { summary: string; run: (argv: string[], io: typeof processIo) => Promise<number> }> =
  {
    analyze: {
      summary: "analyse one person's randomized experiment (CSV: date,block,condition,value)",
      run: analyzeCommand,
    },
    pool: {
      summary: "pool many people's effects in a random-effects meta-analysis (CSV: id,effect,se)",
      run: poolCommand,
    },
  };

const commands: Record<string, CommandModule> = {
  serve: serveCommand,
  migrate: migrateCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

export function mainUsage(): string {
  const rows = [...Object.entries(commands), ...Object.entries(selfParsing)].map(
    ([name, c]) => `  ${name.padEnd(9)}${c.summary}`,
  );
  return [
    "Usage: matwise <command> [options]",
    "",
    "Commands:",
    ...rows,
    "",
    "Run `matwise <command> --help` for the options of one command.",
    "Environment: PORT, HOST, DATABASE_URL, MATWISE_DATA_DIR (see README.md).",
  ].join("\n");
}

export async function main(argv: string[], io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.stderr : io.stdout)(mainUsage());
    return name === undefined ? 2 : 0;
  }
  const raw = selfParsing[name];
  if (raw) return raw.run(rest, io);
  const command = commands[name];
  if (!command) {
    io.stderr(`matwise: unknown command '${name}'\n\n${mainUsage()}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    io.stderr(`matwise ${name}: ${(err as Error).message.split(". ")[0]}\n\n${command.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(command.usage);
    return 0;
  }
  if (
    parsed.positionals.length > (command.maxPositionals ?? 0) ||
    parsed.positionals.length < (command.minPositionals ?? 0)
  ) {
    io.stderr(`matwise ${name}: wrong number of arguments\n\n${command.usage}`);
    return 2;
  }
  return command.run(
    { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals },
    io,
  );
}

export { projectRoot } from "./command";
