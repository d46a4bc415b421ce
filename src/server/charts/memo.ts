/**
 * Charts drawn once per data (issue 27 item 3): drawing a chart with Observable Plot over linkedom
 * costs milliseconds per chart on every view of /sessions, /today and an experiment's page, though
 * the data behind it changes only when the person writes. Each drawing is kept under the JSON of
 * its inputs (plain data: points, words, sizes), so the same data gives the same SVG without
 * drawing it again, and changed data has a new key: nothing to invalidate.
 * @module
 */

/** Drawings kept, least recently used dropped first (an SVG is a few KB to a few tens of KB). */
export const CHART_CACHE_ENTRIES = 300;

const drawn = new Map<string, string>();
/** False while practice drawings are made (`drawWithoutKeeping`). */
let keeping = true;

/** The SVG of `draw()`, drawn once for the same `kind` and `inputs` (JSON-serialisable plain data). */
export function drawOnce(kind: string, inputs: unknown, draw: () => string): string {
  const key = `${kind}:${JSON.stringify(inputs)}`;
  const kept = drawn.get(key);
  if (kept !== undefined) {
    drawn.delete(key);
    drawn.set(key, kept);
    return kept;
  }
  const svg = draw();
  if (!keeping) return svg;
  drawn.set(key, svg);
  if (drawn.size > CHART_CACHE_ENTRIES) drawn.delete(drawn.keys().next().value as string);
  return svg;
}

/** Runs `fn`, whose drawings are made but not kept: the start-up's practice drawings (./warm.ts). */
export function drawWithoutKeeping(fn: () => void): void {
  keeping = false;
  try {
    fn();
  } finally {
    keeping = true;
  }
}

/** How many drawings are kept (for tests). */
export const keptDrawings = (): number => drawn.size;
