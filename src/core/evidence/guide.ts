/**
 * Guides: the frontmatter contract, and the pure parsing and checking of the evidence markers
 * writers put in guide markdown:
 *   [[cite:kjellgren-2011]] or [[cite:hohmann-2012-neck,hohmann-2012-back]]  citations
 *   [[certainty:sleep=very-low]]                                             a certainty badge
 *   [[list:red-flags]]                                                       a list kept as data elsewhere
 *   [[picture:lying]]                                                        a line picture of a way to use the mat
 * @see docs/decisions/021-guide-markers.md
 */
import { z } from "zod";
import { POSITION_PICTURES, type PositionPicture } from "../pictures/positions";
import { AreaIdSchema, CertaintyLevelSchema, EvidenceIdSchema, type AreaId, type CertaintyLevel } from "./schema";

export const GuideFrontmatterSchema = z
  .object({
    /** Page title, without the site name. */
    title: z.string().min(10).max(90),
    /** One or two sentences for search results and link previews (at most 200 characters). */
    description: z.string().min(40).max(200),
    /** Date a person last checked the guide against the evidence data (YYYY-MM-DD). */
    lastReviewed: z.coerce.date(),
    /** Position on the hub; the pillar guide is 1. */
    order: z.number().int().positive(),
    /** Slugs (file names without .md) of related guides, shown at the end of the guide. */
    related: z.array(EvidenceIdSchema).default([]),
  })
  .strict();
export type GuideFrontmatter = z.infer<typeof GuideFrontmatterSchema>;

export type Marker =
  | { kind: "cite"; ids: string[]; raw: string; index: number }
  | { kind: "certainty"; area: AreaId; level: CertaintyLevel; raw: string; index: number }
  | { kind: "list"; name: string; raw: string; index: number }
  | { kind: "picture"; name: PositionPicture; raw: string; index: number };

export interface MarkerProblem {
  raw: string;
  index: number;
  message: string;
}

/** Matches any double-bracket marker, valid or not, so that typos are reported rather than printed. */
export const MARKER_PATTERN = /\[\[([^\][]*)\]\]/g;

/** Parses one marker's inner text ("cite:a,b" or "certainty:area=level"). */
export function parseMarker(inner: string, raw: string, index: number): Marker | MarkerProblem {
  const cite = /^cite:(.+)$/.exec(inner.trim());
  if (cite) {
    const ids = (cite[1] ?? "").split(",").map((s) => s.trim());
    const bad = ids.filter((id) => !EvidenceIdSchema.safeParse(id).success);
    if (bad.length > 0 || ids.length === 0)
      return {
        raw,
        index,
        message: `${raw}: citation ids must be kebab-case and separated by commas (bad: ${bad.map((b) => `'${b}'`).join(", ")})`,
      };
    return { kind: "cite", ids, raw, index };
  }
  const cert = /^certainty:([^=]+)=(.+)$/.exec(inner.trim());
  if (cert) {
    const area = AreaIdSchema.safeParse((cert[1] ?? "").trim());
    const level = CertaintyLevelSchema.safeParse((cert[2] ?? "").trim());
    if (!area.success)
      return {
        raw,
        index,
        message: `${raw}: unknown area '${cert[1] ?? ""}' (areas: ${AreaIdSchema.options.join(", ")})`,
      };
    if (!level.success)
      return {
        raw,
        index,
        message: `${raw}: unknown level '${cert[2] ?? ""}' (levels: ${CertaintyLevelSchema.options.join(", ")})`,
      };
    return { kind: "certainty", area: area.data, level: level.data, raw, index };
  }
  const list = /^list:([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(inner.trim());
  if (list) return { kind: "list", name: list[1] ?? "", raw, index };
  const picture = /^picture:(.+)$/.exec(inner.trim());
  if (picture) {
    const name = (picture[1] ?? "").trim();
    if (!(POSITION_PICTURES as readonly string[]).includes(name))
      return { raw, index, message: `${raw}: unknown picture '${name}' (pictures: ${POSITION_PICTURES.join(", ")})` };
    return { kind: "picture", name: name as PositionPicture, raw, index };
  }
  return {
    raw,
    index,
    message: `${raw}: not a marker this site knows; use [[cite:id]], [[certainty:area=level]], [[list:name]] or [[picture:name]]`,
  };
}

/** Finds every marker in a text, with problems for malformed ones. Positions are string offsets. */
export function parseMarkers(text: string): { markers: Marker[]; problems: MarkerProblem[] } {
  const markers: Marker[] = [];
  const problems: MarkerProblem[] = [];
  for (const m of text.matchAll(MARKER_PATTERN)) {
    const r = parseMarker(m[1] ?? "", m[0], m.index);
    if ("message" in r) problems.push(r);
    else markers.push(r);
  }
  return { markers, problems };
}

/** Cited ids in order of first appearance: the numbering of the guide's references. */
export function getCitationOrder(text: string): string[] {
  const seen: string[] = [];
  for (const m of parseMarkers(text).markers)
    if (m.kind === "cite") for (const id of m.ids) if (!seen.includes(id)) seen.push(id);
  return seen;
}

export interface MarkerContext {
  /** Ids that a citation may name (studies and grey items). */
  citable: ReadonlySet<string>;
  /** The graded level of every area. */
  levels: Readonly<Record<string, CertaintyLevel>>;
  /** Lists a [[list:name]] marker may render, by name, with their items. */
  lists: Readonly<Record<string, readonly string[]>>;
}

/**
 * Every problem with a text's markers against the data: malformed markers, unknown ids or areas,
 * and certainty levels that differ from the graded level. Empty when all is well.
 */
export function getMarkerProblems(text: string, ctx: MarkerContext): MarkerProblem[] {
  const { markers, problems } = parseMarkers(text);
  for (const m of markers) {
    if (m.kind === "cite") {
      for (const id of m.ids)
        if (!ctx.citable.has(id))
          problems.push({ raw: m.raw, index: m.index, message: `${m.raw}: unknown study or grey item '${id}'` });
    } else if (m.kind === "list") {
      if (!(m.name in ctx.lists))
        problems.push({
          raw: m.raw,
          index: m.index,
          message: `${m.raw}: unknown list '${m.name}' (lists: ${Object.keys(ctx.lists).join(", ")})`,
        });
      else if (!standsAlone(text, m))
        problems.push({
          raw: m.raw,
          index: m.index,
          message: `${m.raw}: a list marker renders a whole list, so it must stand alone on its line, with blank lines around it`,
        });
    } else if (m.kind === "picture") {
      if (!standsAlone(text, m))
        problems.push({
          raw: m.raw,
          index: m.index,
          message: `${m.raw}: a picture marker renders a figure, so it must stand alone on its line, with blank lines around it`,
        });
    } else {
      const graded = ctx.levels[m.area];
      if (graded === undefined)
        problems.push({ raw: m.raw, index: m.index, message: `${m.raw}: area '${m.area}' has no data file` });
      else if (graded !== m.level)
        problems.push({
          raw: m.raw,
          index: m.index,
          message: `${m.raw}: the data grades '${m.area}' as '${graded}', not '${m.level}' (run npx tsx scripts/grades.ts)`,
        });
    }
  }
  return problems.sort((a, b) => a.index - b.index);
}

/** Whether a marker is the only thing on its line. */
function standsAlone(text: string, m: Marker): boolean {
  const lineStart = text.lastIndexOf("\n", m.index - 1) + 1;
  const lineEnd = text.indexOf("\n", m.index) === -1 ? text.length : text.indexOf("\n", m.index);
  return text.slice(lineStart, lineEnd).trim() === m.raw;
}

/** Line number (1-based) of a string offset, for error messages. */
export function getLineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

const FREE_TEXT_CERTAINTY = [
  /\b(?:very[\s-]+low|low|moderate|high)[\s-]+certainty\b/i,
  /\b(?:very[\s-]+low|low|moderate|high)[\s-]+(?:quality|grade)[\s-]+(?:of[\s-]+)?evidence\b/i,
  /\bcertainty\b[^.\n]{0,40}?\b(?:is|was|remains|rated|graded|as|:)\s+(?:very[\s-]+low|low|moderate|high)\b/i,
  /\bno[\s-]+controlled[\s-]+evidence\b/i,
];

/** Certainty levels stated in free text, outside a marker (the grade must come from the data). */
export function findFreeTextCertainty(text: string): string[] {
  const stripped = text.replace(MARKER_PATTERN, " ");
  const found: string[] = [];
  for (const line of stripped.split("\n"))
    for (const re of FREE_TEXT_CERTAINTY) {
      const m = re.exec(line);
      if (m) found.push(m[0]);
    }
  return found;
}

const BANNED_CLAIMS = /\b(?:clinically[\s-]+proven|proven|guaranteed|cure[sd]?)\b/gi;

/** Overclaiming words a guide must not use ("cure", "proven", "guaranteed", "clinically proven"). */
export function findBannedClaims(text: string): string[] {
  return [...text.matchAll(BANNED_CLAIMS)].map((m) => m[0]);
}

/** Reading time in whole minutes at 200 words a minute, counting prose only (markers and markdown syntax removed). */
export function getReadingMinutes(markdown: string, wordsPerMinute = 200): number {
  const prose = markdown
    .replace(MARKER_PATTERN, " ")
    .replace(/\]\([^)]*\)/g, " ")
    .replace(/[#*_>`|[\]-]+/g, " ");
  const words = prose.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return Math.max(1, Math.ceil(words / wordsPerMinute));
}
