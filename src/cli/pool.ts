/**
 * `matwise pool FILE.csv`: random-effects meta-analysis of many people's effects
 * (see src/core/stats/meta-analysis.ts).
 * @module
 */
import { ConvergenceError, parsePersonRows, poolEffects, type PoolResult } from "../core/stats/meta-analysis";
import { type CliIo, formatNumber, formatP, parseCommandLine, readCsvFile, reportFailure, UsageError } from "./csv";

export const poolUsage = `Usage: matwise pool FILE.csv [--method REML|DL] [--json]

Pools many people's effects in a random-effects meta-analysis (the numbers of R's metafor).
FILE.csv has the header id,effect,se: one row per person, for example bayes.effect_mean and
bayes.effect_sd from \`matwise analyze --json\`.

  --method REML|DL   estimator of the between-person variance tau² (default REML)
  --json             print the result as JSON
  -h, --help         show this help`;

/** Readable text with the same content as the JSON. */
export function formatPool(result: PoolResult): string {
  const f = formatNumber;
  const lines = [
    `People: ${result.k}; random-effects model, tau² by ${result.method}`,
    `Pooled effect: ${f(result.estimate)} (SE ${f(result.se)}; 95% CI ${f(result.ci95[0])} to ${f(result.ci95[1])}; z = ${f(result.z)}, ${formatP(result.p)})`,
    `Heterogeneity: tau² = ${f(result.tau2)}, I² = ${f(result.I2)}%, H² = ${f(result.H2)}; Q = ${f(result.Q)} on ${result.Q_df} df, ${formatP(result.Q_p)}`,
    `95% prediction interval for a new person: ${f(result.pi95[0])} to ${f(result.pi95[1])}`,
    "Each person's shrunken estimate (95% prediction interval):",
    ...result.people.map((p) => `  ${p.id}: ${f(p.estimate)} (SE ${f(p.se)}; ${f(p.pi95[0])} to ${f(p.pi95[1])})`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Runs `matwise pool`; returns the exit code (0 ok, 1 no convergence, 2 bad input or usage). */
export async function poolCommand(argv: string[], io: CliIo): Promise<number> {
  let file: string | undefined;
  try {
    const parsed = parseCommandLine(argv, { method: { type: "string" }, json: { type: "boolean" } });
    if (parsed.help) {
      io.stdout(`${poolUsage}\n`);
      return 0;
    }
    file = parsed.file!;
    const method = ((parsed.values["method"] as string | undefined) ?? "REML").toUpperCase();
    if (method !== "REML" && method !== "DL")
      throw new UsageError(`--method must be REML or DL, got "${String(parsed.values["method"])}"`);
    const rows = await readCsvFile(io, file, ["id", "effect", "se"] as const);
    const people = parsePersonRows(rows.map(({ row, fields }) => ({ row, ...fields })));
    const result = poolEffects(people, method);
    io.stdout(parsed.values["json"] === true ? `${JSON.stringify(result)}\n` : formatPool(result));
    return 0;
  } catch (error) {
    if (error instanceof ConvergenceError) {
      io.stderr(`${file}: ${error.message}\n`);
      return 1;
    }
    return reportFailure(error, io, file, poolUsage);
  }
}
