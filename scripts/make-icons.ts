/**
 * Draws the app icons of the web app manifest (decision 091) and writes them to public/icons as
 * PNG files, which are committed: the build does not need this script. Run it again after changing
 * the drawing: `npx tsx scripts/make-icons.ts`.
 *
 * The drawing is the favicon's: five mat spikes on a rounded square, in the light theme's colours
 * and the dark theme's. The maskable icons fill the whole square and keep the spikes inside the
 * central 80 % that every mask shape leaves visible.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";

const OUT = join(import.meta.dirname, "..", "public", "icons");

/** Colours of the two themes (src/styles/global.css: --accent and --bg, and the dark theme's). */
const THEMES = {
  light: { square: "#1f5f8b", spikes: "#fdfcf9" },
  dark: { square: "#15181b", spikes: "#8cc4ec" },
} as const;

/** The icon as SVG on a 512 × 512 canvas; `maskable` fills the canvas and shrinks the spikes into the safe zone. */
function drawing(theme: keyof typeof THEMES, maskable: boolean): string {
  const { square, spikes } = THEMES[theme];
  const scale = maskable ? 0.62 : 1;
  const c = 256;
  const at = (v: number) => c + (v - c) * scale;
  const r = 48 * scale;
  const dots = [
    [144, 144],
    [368, 144],
    [256, 256],
    [144, 368],
    [368, 368],
  ]
    .map(([x, y]) => `<circle cx="${at(x ?? 0)}" cy="${at(y ?? 0)}" r="${r}"/>`)
    .join("");
  const background = maskable
    ? `<rect width="512" height="512" fill="${square}"/>`
    : `<rect width="512" height="512" rx="96" fill="${square}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">${background}<g fill="${spikes}">${dots}</g></svg>`;
}

const ICONS = [
  { name: "icon-192.png", theme: "light", maskable: false, size: 192 },
  { name: "icon-512.png", theme: "light", maskable: false, size: 512 },
  { name: "icon-maskable-512.png", theme: "light", maskable: true, size: 512 },
  { name: "icon-dark-192.png", theme: "dark", maskable: false, size: 192 },
  { name: "icon-dark-512.png", theme: "dark", maskable: false, size: 512 },
  { name: "icon-dark-maskable-512.png", theme: "dark", maskable: true, size: 512 },
  { name: "apple-touch-icon.png", theme: "light", maskable: true, size: 180 },
] as const;

mkdirSync(OUT, { recursive: true });
for (const icon of ICONS) {
  await sharp(Buffer.from(drawing(icon.theme, icon.maskable)))
    .resize(icon.size, icon.size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(join(OUT, icon.name));
  console.log(`public/icons/${icon.name}`);
}
