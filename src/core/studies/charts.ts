/**
 * The study monitor's two pictures as SVG markup, drawn on the server: the participant flow
 * and the forest plot with the prediction interval. Each carries a title and a description; the
 * page puts a text version beside it.
 * @module
 */
import { escapeMarkup } from "../markup";
import type { PoolResult } from "../stats/meta-analysis";
import type { StudyEffect } from "./pooled";

/** Most people drawn one row each in the forest plot. */
export const FOREST_ROWS = 40;

/** Splits text into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const svgOpen = (width: number, height: number, title: string, desc: string, id: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" class="chart"><title id="${id}-t">${escapeMarkup(title)}</title><desc id="${id}-d">${escapeMarkup(desc)}</desc>`;

/** The flow diagram: a column of boxes, with side boxes (exclusions, withdrawals) to the right. */
export function renderFlowSvg(lines: readonly { stage: string; box: string; side?: string | undefined }[]): string {
  const width = 360;
  const mainW = 200;
  const sideX = 214;
  const sideW = width - sideX - 2;
  const lineH = 13;
  let y = 4;
  const parts: string[] = [];
  lines.forEach((l, i) => {
    const main = wrap(l.box, 30);
    const side = l.side ? wrap(l.side, 22) : [];
    const h = Math.max(main.length, side.length) * lineH + 12;
    parts.push(`<rect x="2" y="${y}" width="${mainW}" height="${h}" rx="4" fill="none" stroke="currentColor"/>`);
    main.forEach((t, j) =>
      parts.push(`<text x="10" y="${y + 16 + j * lineH}" font-size="11" fill="currentColor">${escapeMarkup(t)}</text>`),
    );
    if (side.length > 0) {
      parts.push(`<line x1="${mainW + 2}" y1="${y + h / 2}" x2="${sideX}" y2="${y + h / 2}" stroke="currentColor"/>`);
      parts.push(
        `<rect x="${sideX}" y="${y}" width="${sideW}" height="${h}" rx="4" fill="none" stroke="currentColor" stroke-dasharray="3 2"/>`,
      );
      side.forEach((t, j) =>
        parts.push(
          `<text x="${sideX + 6}" y="${y + 16 + j * lineH}" font-size="10" fill="currentColor">${escapeMarkup(t)}</text>`,
        ),
      );
    }
    y += h;
    if (i < lines.length - 1) {
      parts.push(
        `<line x1="${mainW / 2 + 2}" y1="${y}" x2="${mainW / 2 + 2}" y2="${y + 14}" stroke="currentColor"/><path d="M${mainW / 2 - 2} ${y + 9} L${mainW / 2 + 2} ${y + 14} L${mainW / 2 + 6} ${y + 9}" fill="none" stroke="currentColor"/>`,
      );
      y += 14;
    }
  });
  return `${svgOpen(width, y + 4, "Participant flow", lines.map((l) => `${l.stage}: ${l.box}${l.side ? `; ${l.side}` : ""}`).join(". "), "flow")}${parts.join("")}</svg>`;
}

/**
 * The forest plot: each person's effect with its 95 % interval (and their shrunken estimate as
 * an open circle), the pooled effect as a diamond, and the 95 % prediction interval for a new
 * person as a bar beneath it; a dashed line at zero and a dotted one at the smallest meaningful change.
 */
export function renderForestSvg(effects: readonly StudyEffect[], pool: PoolResult, mcid: number, unit: string): string {
  const crit = 1.959963984540054;
  const rowH = 18;
  const left = 52;
  const right = 350;
  const top = 8;
  const lo = Math.min(0, mcid, pool.pi95[0], ...effects.map((e) => e.effect - crit * e.se));
  const hi = Math.max(0, mcid, pool.pi95[1], ...effects.map((e) => e.effect + crit * e.se));
  const pad = (hi - lo) * 0.05 || 1;
  const x = (v: number) => left + ((v - lo + pad) / (hi - lo + 2 * pad)) * (right - left);
  const f = (v: number) => v.toFixed(2);
  // Beyond FOREST_ROWS people one row each is unreadable: their effects are drawn as a histogram in one band instead.
  const many = effects.length > FOREST_ROWS;
  const rows = many ? 4 : effects.length;
  const height = top + (rows + 3) * rowH + 24;
  const parts: string[] = [];
  const blup = new Map(pool.people.map((p) => [p.id, p.estimate]));
  if (many) {
    const bins = 40;
    const counts = new Array<number>(bins).fill(0);
    const width = (hi - lo + 2 * pad) / bins;
    for (const e of effects) counts[Math.min(bins - 1, Math.max(0, Math.floor((e.effect - lo + pad) / width)))]!++;
    const tallest = Math.max(...counts);
    const bandH = rows * rowH - 4;
    parts.push(`<text x="4" y="${top + 12}" font-size="10" fill="currentColor">People</text>`);
    counts.forEach((n, b) => {
      if (n === 0) return;
      const h = (n / tallest) * bandH;
      parts.push(
        `<rect x="${f(x(lo - pad + b * width))}" y="${f(top + bandH - h)}" width="${f(x(lo - pad + (b + 1) * width) - x(lo - pad + b * width))}" height="${f(h)}" fill="currentColor" opacity="0.6"/>`,
      );
    });
  }
  if (!many)
    effects.forEach((e, i) => {
      const y = top + i * rowH + rowH / 2;
      parts.push(`<text x="4" y="${y + 4}" font-size="11" fill="currentColor">${escapeMarkup(e.id)}</text>`);
      parts.push(
        `<line x1="${f(x(e.effect - crit * e.se))}" y1="${y}" x2="${f(x(e.effect + crit * e.se))}" y2="${y}" stroke="currentColor"/>`,
      );
      parts.push(`<rect x="${f(x(e.effect) - 3)}" y="${y - 3}" width="6" height="6" fill="currentColor"/>`);
      const b = blup.get(e.id);
      if (b !== undefined) parts.push(`<circle cx="${f(x(b))}" cy="${y}" r="3" fill="none" stroke="currentColor"/>`);
    });
  const yPool = top + (rows + 0.5) * rowH + 4;
  parts.push(`<text x="4" y="${yPool + 4}" font-size="11" font-weight="bold" fill="currentColor">Pooled</text>`);
  parts.push(
    `<path d="M${f(x(pool.ci95[0]))} ${yPool} L${f(x(pool.estimate))} ${yPool - 5} L${f(x(pool.ci95[1]))} ${yPool} L${f(x(pool.estimate))} ${yPool + 5} Z" fill="currentColor"/>`,
  );
  const yPi = yPool + rowH;
  parts.push(`<text x="4" y="${yPi + 4}" font-size="10" fill="currentColor">New person</text>`);
  parts.push(
    `<rect x="${f(x(pool.pi95[0]))}" y="${yPi - 2}" width="${f(x(pool.pi95[1]) - x(pool.pi95[0]))}" height="4" fill="currentColor" opacity="0.5"/>`,
  );
  const yAxis = top + (rows + 2.2) * rowH;
  parts.push(
    `<line x1="${f(x(0))}" y1="${top}" x2="${f(x(0))}" y2="${yAxis}" stroke="currentColor" stroke-dasharray="4 3"/>`,
  );
  parts.push(
    `<line x1="${f(x(mcid))}" y1="${top}" x2="${f(x(mcid))}" y2="${yAxis}" stroke="currentColor" stroke-dasharray="1 3"/>`,
  );
  parts.push(`<line x1="${left}" y1="${yAxis}" x2="${right}" y2="${yAxis}" stroke="currentColor"/>`);
  for (const v of [lo, 0, mcid, hi])
    parts.push(
      `<text x="${f(x(v))}" y="${yAxis + 14}" font-size="10" text-anchor="middle" fill="currentColor">${(Math.round(v * 10) / 10).toString()}</text>`,
    );
  const desc = `Benefit of the mat in ${unit} (positive favours the mat) for ${effects.length} people, ${many ? "as a histogram" : "each with a 95 % interval"}; pooled ${f(pool.estimate)} (95 % CI ${f(pool.ci95[0])} to ${f(pool.ci95[1])}); 95 % prediction interval for a new person ${f(pool.pi95[0])} to ${f(pool.pi95[1])}; smallest meaningful change ${mcid}. The table below gives every number.`;
  return `${svgOpen(360, height, "Forest plot: each person's benefit, the pooled benefit and the prediction interval", desc, "forest")}${parts.join("")}</svg>`;
}
