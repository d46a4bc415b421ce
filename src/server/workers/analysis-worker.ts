/**
 * The worker pool's entry (`pool.ts`): one named task per export, each a plain function of
 * plain data (structured clone both ways). Built to `dist/workers/analysis-worker.mjs` by
 * `scripts/build-cli.ts`; from the sources it runs through tsx.
 * @module
 */
import type { Day } from "../../core/stats/experiment";
import {
  analyzeCsvNow,
  analyzeDaysNow,
  practiseNow,
  readImportNow,
  settle,
  type AnalysisOptions,
  type ImportTask,
} from "./analysis-tasks";

export function analyzeCsv(task: { csv: string; opts: AnalysisOptions }) {
  return settle(() => analyzeCsvNow(task.csv, task.opts));
}

export function analyzeDays(task: { days: Day[]; opts: AnalysisOptions }) {
  return settle(() => analyzeDaysNow(task.days, task.opts));
}

export function readImport(task: ImportTask) {
  return settle(() => readImportNow(task));
}

export function practise() {
  return settle(() => practiseNow());
}
