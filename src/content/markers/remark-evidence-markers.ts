/**
 * Remark plugin, registered in astro.config.mjs, that renders the evidence markers in guides and
 * fails the build on any problem:
 *   [[cite:id]] / [[cite:id1,id2]]  numbered links to /evidence/studies/<id>, plus a References list
 *   [[certainty:AREA=LEVEL]]        a badge linking to /evidence/#AREA; the level must equal the graded one
 *   [[list:NAME]]                   a whole list kept as data elsewhere (red-flags: the safety check's), alone in its paragraph
 *   [[picture:NAME]]                a line picture of a way to use the mat (src/core/pictures), alone in its paragraph
 * Unknown ids, unknown areas or lists, a level the data does not give, or a malformed [[...]] stop the build.
 * @see docs/decisions/021-guide-markers.md
 */
import { describeAreaDirection, getAreaResults, getLevelLabel, LEVEL_MEANINGS_HREF } from "../../core/evidence/grade";
import { escapeMarkup } from "../../core/markup";
import { MARKER_PATTERN, getMarkerProblems, parseMarker, type Marker } from "../../core/evidence/guide";
import { POSITION_PICTURES, renderPictureSvg, type PositionPicture } from "../../core/pictures/positions";
import { loadEvidence, type EvidenceData } from "./load-evidence";
import { loadGuideLists } from "./load-lists";

interface MdNode {
  type: string;
  value?: string;
  depth?: number;
  children?: MdNode[];
  position?: { start: { line: number; column: number } };
}

interface VFileLike {
  path?: string;
  history?: string[];
}

/** Where a cited id's page lives. */
export const getEvidenceHref = (id: string): string => `/evidence/studies/${id}`;

interface Citable {
  shortName: string;
  citation: string;
}

function getCitables(data: EvidenceData): Map<string, Citable> {
  const m = new Map<string, Citable>();
  for (const s of data.studies) m.set(s.id, { shortName: s.data.shortName, citation: s.data.citation });
  for (const g of data.grey)
    m.set(g.id, { shortName: g.data.shortName, citation: `${g.data.citation} (context only, not graded)` });
  return m;
}

function renderCite(ids: readonly string[], numbers: Map<string, number>, citables: Map<string, Citable>): string {
  const links = ids.map((id) => {
    const n = numbers.get(id) ?? 0;
    const name = citables.get(id)?.shortName ?? id;
    return `<a href="${getEvidenceHref(id)}" title="${escapeMarkup(name)}"><span class="visually-hidden">reference </span>${n}</a>`;
  });
  return `<sup class="cite">[${links.join(", ")}]</sup>`;
}

/** The badge, then which way the evidence points and how sure we are, then a link to what the levels mean. */
export function renderCertainty(
  m: Extract<Marker, { kind: "certainty" }>,
  areaTitle: string,
  direction: string,
): string {
  return `<span class="certainty-line"><a class="certainty-badge certainty-${m.level}" href="/evidence/#${m.area}"><span class="certainty-area">${escapeMarkup(areaTitle)}:</span> certainty ${escapeMarkup(getLevelLabel(m.level))}</a> <span class="certainty-direction">${escapeMarkup(direction)} <a href="${LEVEL_MEANINGS_HREF}">What the levels mean</a></span></span>`;
}

/** Renders a [[list:name]] marker as a plain list. */
export function renderList(name: string, items: readonly string[]): string {
  return `<ul class="data-list data-list-${escapeMarkup(name)}">${items.map((i) => `<li>${escapeMarkup(i)}</li>`).join("")}</ul>`;
}

/** Renders a [[picture:name]] marker: the line picture, with its text alternative, as a figure of its own. */
export function renderPicture(name: PositionPicture): string {
  return `<figure class="guide-picture">${renderPictureSvg(name, { width: 180 })}</figure>`;
}

/** Renders the references list that closes a guide. */
export function renderReferences(order: readonly string[], citables: Map<string, Citable>): string {
  const items = order.map((id, i) => {
    const c = citables.get(id);
    return `<li id="ref-${i + 1}"><a href="${getEvidenceHref(id)}">${escapeMarkup(c?.shortName ?? id)}</a>. ${escapeMarkup(c?.citation ?? "")}</li>`;
  });
  return `<ol class="references">${items.join("")}</ol>`;
}

/** The remark plugin factory (no options). */
export function remarkEvidenceMarkers() {
  return (tree: MdNode, file: VFileLike): void => {
    const where = file.path ?? file.history?.[0] ?? "a markdown file";
    const data = loadEvidence();
    const citables = getCitables(data);
    const levels = Object.fromEntries(data.grades.map((g) => [g.area, g.level]));
    const lists = loadGuideLists();
    const areaTitles = new Map(data.areas.map((a) => [a.id, a.data.title]));
    const directions = new Map(
      data.areas.map((a) => [
        a.id,
        describeAreaDirection(
          levels[a.id] ?? "no-controlled-evidence",
          getAreaResults(a, data.studies),
          a.data.safetySignal,
        ),
      ]),
    );
    const numbers = new Map<string, number>();
    const order: string[] = [];
    const errors: string[] = [];

    const visit = (node: MdNode): void => {
      if (!node.children) return;
      const next: MdNode[] = [];
      for (const child of node.children) {
        const only = child.type === "paragraph" && child.children?.length === 1 ? child.children[0] : undefined;
        const listMarker = only?.type === "text" ? /^\s*\[\[list:([a-z0-9-]+)\]\]\s*$/.exec(only.value ?? "") : null;
        const pictureMarker = only?.type === "text" ? /^\s*\[\[picture:([a-z-]+)\]\]\s*$/.exec(only.value ?? "") : null;
        const picture =
          pictureMarker && (POSITION_PICTURES as readonly string[]).includes(pictureMarker[1] ?? "")
            ? (pictureMarker[1] as PositionPicture)
            : null;
        if (picture) {
          next.push({ type: "html", value: renderPicture(picture) });
          continue;
        }
        if (listMarker) {
          const items = lists[listMarker[1] ?? ""];
          if (items) next.push({ type: "html", value: renderList(listMarker[1] ?? "", items) });
          else
            errors.push(
              `${where}:${child.position?.start.line ?? 0}: ${only?.value?.trim() ?? ""}: unknown list '${listMarker[1] ?? ""}' (lists: ${Object.keys(lists).join(", ")})`,
            );
          continue;
        }
        if (child.type === "text" && child.value?.includes("[[")) {
          const text = child.value;
          const line = child.position?.start.line ?? 0;
          for (const p of getMarkerProblems(text, { citable: new Set(citables.keys()), levels, lists }))
            errors.push(`${where}:${line}: ${p.message}`);
          let last = 0;
          for (const match of text.matchAll(MARKER_PATTERN)) {
            const marker = parseMarker(match[1] ?? "", match[0], match.index);
            if ("message" in marker) continue;
            if (match.index > last) next.push({ type: "text", value: text.slice(last, match.index) });
            if (marker.kind === "list" || marker.kind === "picture") {
              // Only reached inside running text, which getMarkerProblems has reported already.
              last = match.index + match[0].length;
              continue;
            }
            if (marker.kind === "cite") {
              for (const id of marker.ids)
                if (!numbers.has(id)) {
                  order.push(id);
                  numbers.set(id, order.length);
                }
              next.push({ type: "html", value: renderCite(marker.ids, numbers, citables) });
            } else {
              next.push({
                type: "html",
                value: renderCertainty(
                  marker,
                  areaTitles.get(marker.area) ?? marker.area,
                  directions.get(marker.area) ?? "",
                ),
              });
            }
            last = match.index + match[0].length;
          }
          if (last < text.length) next.push({ type: "text", value: text.slice(last) });
        } else {
          if (child.type !== "code" && child.type !== "inlineCode") visit(child);
          next.push(child);
        }
      }
      node.children = next;
    };
    visit(tree);

    if (errors.length > 0) throw new Error(`Evidence markers are wrong:\n${errors.join("\n")}`);
    if (order.length > 0 && tree.children) {
      tree.children.push({ type: "heading", depth: 2, children: [{ type: "text", value: "References" }] });
      tree.children.push({ type: "html", value: renderReferences(order, citables) });
    }
  };
}

export default remarkEvidenceMarkers;
