/** What every benchmark hands back to bench/run.ts. */
export interface Verdict {
  /** The budget, in words, with its source. */
  budget: string;
  /** What was measured, in words and figures (the section's table of budgets shows it whole). */
  measured: string;
  /**
   * The cell of BENCHMARKS.md's summary, one short line: the worst case and a count ("largest /evidence/
   * 11.9 KB gzip; 25 pages"). Without it, `measured` is cut there (bench/run.ts `getSummaryCell`).
   */
  summary?: string;
  /** true: within budget; false: missed; null: not measured (skipped, with the reason in `measured`). */
  met: boolean | null;
}

export interface BenchResult {
  /** Markdown body of the section: tables and notes, all generated. */
  markdown: string;
  verdicts: Verdict[];
}

export interface Benchmark {
  name: string;
  title: string;
  /** false when the benchmark does not use `dist/` (no build is started for it); default true. */
  needsBuild?: boolean;
  run(): Promise<BenchResult>;
}

export const KB = 1000;
/** Bytes as kilobytes (1 KB = 1,000 bytes), one decimal. */
export const kb = (bytes: number): string => (bytes / KB).toFixed(1);
export const yesNo = (met: boolean | null): string => (met === null ? "not measured" : met ? "yes" : "**NO**");
