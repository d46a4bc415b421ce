/**
 * Line pictures of the ways to use a mat, as SVG markup drawn in `currentColor` (so they follow
 * the text colour, light or dark), each with its text alternative. One set of drawings serves the
 * server (src/components/pictures/PositionPicture.astro) and the timer island, which cannot import
 * .astro files. The markup is ours and static; nothing from a person goes into it.
 * @module
 */
import type { Position, SessionArea } from "../sessions/options";
import { escapeMarkup } from "../markup";

export const POSITION_PICTURES = ["lying", "neck-pillow", "chair", "feet", "standing"] as const;
export type PositionPicture = (typeof POSITION_PICTURES)[number];

/** The shared frame: a 120 × 72 box; strokes 3 units wide with round ends. */
export const PICTURE_VIEWBOX = "0 0 120 72";
export const PICTURE_STROKE = {
  fill: "none",
  stroke: "currentColor",
  "stroke-width": "3",
  "stroke-linecap": "round",
  "stroke-linejoin": "round",
} as const;

/** A mat seen from the side: an outline and a row of spikes (a dotted line). */
const mat = (x: number, y: number, w: number) =>
  `<rect x="${x}" y="${y}" width="${w}" height="5" rx="1.5" stroke-width="2"/><path d="M${x + 3} ${y - 1.5}H${x + w - 3}" stroke-width="2" stroke-dasharray="0.5 3.5"/>`;
const floor = `<path d="M6 66H114" stroke-width="2" opacity="0.5"/>`;
const chair = (x: number) => `<path d="M${x} 12V66M${x} 42H${x + 32}V66" stroke-width="2.5"/>`;

/** Each picture: what it shows, in words (its text alternative), and its drawing. */
export const PICTURE: Record<PositionPicture, { alt: string; svg: string }> = {
  lying: {
    alt: "A person lying on their back on a mat on the floor, knees bent, the mat under the back.",
    svg: `${floor}${mat(16, 61, 58)}<circle cx="14" cy="52" r="7"/><path d="M21 56L68 57L84 40L100 63"/><path d="M30 57L50 60" stroke-width="2.5"/>`,
  },
  "neck-pillow": {
    alt: "A person lying on their back with the neck resting on a mat laid over a pillow.",
    svg: `${floor}<ellipse cx="30" cy="60" rx="15" ry="6" stroke-width="2"/><path d="M17 53Q30 45 43 53" stroke-width="2"/><path d="M19 49.5Q30 42 41 49.5" stroke-width="2" stroke-dasharray="0.5 3.5"/><circle cx="15" cy="43" r="7"/><path d="M22 48L70 60L86 42L102 63"/>`,
  },
  chair: {
    alt: "A person sitting on a chair, leaning back against a mat hung over the chair's back.",
    svg: `${floor}${chair(40)}<rect x="42.5" y="14" width="5" height="26" rx="1.5" stroke-width="2"/><path d="M49.5 17V37" stroke-width="2" stroke-dasharray="0.5 3.5"/><circle cx="57" cy="13" r="7"/><path d="M54 20L52 40L80 40L84 66"/><path d="M54 26L66 34L78 31"/>`,
  },
  feet: {
    alt: "A person sitting on a chair with both feet resting on a mat on the floor.",
    svg: `${floor}${chair(22)}<circle cx="34" cy="12" r="7"/><path d="M33 19L32 40L64 40L72 59L84 59"/><path d="M33 25L46 33L58 32"/>${mat(60, 61, 40)}`,
  },
  standing: {
    alt: "A person standing upright with both feet on a mat on the floor.",
    svg: `${floor}${mat(38, 61, 44)}<circle cx="60" cy="11" r="7"/><path d="M60 18V40M60 40L53 59M60 40L67 59M60 24L49 37M60 24L71 37"/>`,
  },
};

/** The picture for a way of using the mat: lying with the neck on the mat shows the pillow. */
export function pictureFor(position: Position, area?: SessionArea): PositionPicture {
  if (position === "lying") return area === "neck-shoulders" ? "neck-pillow" : "lying";
  if (position === "sitting") return "chair";
  if (position === "feet-only") return "feet";
  return "standing";
}

/**
 * The picture as an `<svg>` element in markup: an image with its text alternative, or hidden from
 * screen readers (`decorative`) where the words beside it say the same. Width in CSS pixels (the
 * height follows, 120 × 72). Used where markup is written as text (the guides' markdown) and by
 * the server component.
 */
export function renderPictureSvg(
  picture: PositionPicture,
  opts: { width?: number; decorative?: boolean; className?: string } = {},
): string {
  const width = opts.width ?? 120;
  const { alt, svg } = PICTURE[picture];
  const attributes: Record<string, string> = {
    class: ["position-picture", opts.className].filter(Boolean).join(" "),
    viewBox: PICTURE_VIEWBOX,
    width: String(width),
    height: String(Math.round((width * 72) / 120)),
    ...(opts.decorative ? { "aria-hidden": "true" } : { role: "img", "aria-label": alt }),
    focusable: "false",
    ...PICTURE_STROKE,
  };
  return `<svg ${Object.entries(attributes)
    .map(([k, v]) => `${k}="${escapeMarkup(v)}"`)
    .join(" ")}>${svg}</svg>`;
}
