import { describe, expect, it } from "vitest";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import rehypeStringify from "rehype-stringify";
import { renderPictureSvg } from "../../core/pictures/positions";
import { remarkEvidenceMarkers } from "./remark-evidence-markers";
import { loadEvidence } from "./load-evidence";
import { loadGuideLists } from "./load-lists";

const render = async (md: string): Promise<string> =>
  String(
    await unified()
      .use(remarkParse)
      .use(remarkEvidenceMarkers)
      .use(remarkRehype, { allowDangerousHtml: true })
      .use(rehypeStringify, { allowDangerousHtml: true })
      .process({ value: md, path: "test.md" }),
  );

const levels = Object.fromEntries(loadEvidence().grades.map((g) => [g.area, g.level]));

describe("remarkEvidenceMarkers", () => {
  it("numbers citations by first appearance and links them to the study pages", async () => {
    const html = await render("One [[cite:kisker-2023]]. Two [[cite:olsson-2011,kisker-2023]]. Grey [[cite:li-2021]].");
    expect(html).toContain(
      '<a href="/evidence/studies/kisker-2023" title="Kisker 2023"><span class="visually-hidden">reference </span>1</a>',
    );
    expect(html).toContain(
      '<a href="/evidence/studies/olsson-2011" title="Olsson 2011"><span class="visually-hidden">reference </span>2</a>, <a href="/evidence/studies/kisker-2023"',
    );
    expect(html).toMatch(
      /<h2>References<\/h2>\s*<ol class="references"><li id="ref-1"><a href="\/evidence\/studies\/kisker-2023">Kisker 2023<\/a>/,
    );
    expect(html).toContain('<li id="ref-3"><a href="/evidence/studies/li-2021">');
    expect(html).not.toContain("[[");
  });

  it("renders a certainty badge that links to the area's row", async () => {
    const html = await render(`[[certainty:sleep=${levels.sleep}]]`);
    expect(html).toContain('href="/evidence/#sleep"');
    expect(html).not.toContain("References");
  });

  it("pairs the badge with the direction of the evidence and links to what the levels mean (issue 26, item 6)", async () => {
    const html = await render(`[[certainty:sleep=${levels.sleep}]]`);
    expect(html).toContain(
      '<span class="certainty-direction">Small trials found no difference from the comparison; we are very unsure. <a href="/evidence/#certainty-levels">What the levels mean</a></span>',
    );
  });

  it("renders a list marker as the list kept in the data, in place of its paragraph", async () => {
    const html = await render("Before.\n\n[[list:red-flags]]\n\nAfter.");
    const items = loadGuideLists()["red-flags"] ?? [];
    expect(items.length).toBeGreaterThan(3);
    expect(html).toContain(
      `<p>Before.</p>\n<ul class="data-list data-list-red-flags">${items.map((i) => `<li>${i}</li>`).join("")}</ul>\n<p>After.</p>`,
    );
  });

  it("renders a picture marker as a figure with the line picture and its text alternative, in place of its paragraph", async () => {
    const html = await render("Lie down.\n\n[[picture:lying]]\n\nGet up slowly.");
    expect(html).toContain(
      `<p>Lie down.</p>\n<figure class="guide-picture">${renderPictureSvg("lying", { width: 180 })}</figure>\n<p>Get up slowly.</p>`,
    );
    expect(html).toMatch(
      /<svg class="position-picture" viewBox="0 0 120 72" width="180" height="108" role="img" aria-label="A person lying on their back on a mat on the floor, knees bent, the mat under the back\." focusable="false"/,
    );
  });

  it("leaves markers in code alone", async () => {
    expect(await render("`[[cite:whatever]]`")).toContain("<code>[[cite:whatever]]</code>");
  });

  it.each([
    ["[[cite:smith-2099]]", /test\.md:1: .*unknown study or grey item 'smith-2099'/],
    ["ok\n\n[[certainty:sleep=high]]", /test\.md:3: .*grades 'sleep' as/],
    ["[[certainty:insomnia=low]]", /unknown area 'insomnia'/],
    ["[[cit:kisker-2023]]", /not a marker/],
    ["[[list:nothing-here]]", /unknown list 'nothing-here'/],
    ["See [[list:red-flags]] inline.", /must stand alone/],
    ["[[picture:cartwheel]]", /unknown picture 'cartwheel' \(pictures: lying, neck-pillow, chair, feet, standing\)/],
    ["Like this [[picture:lying]] here.", /a picture marker renders a figure, so it must stand alone/],
  ])("fails the build on %s", async (md, message) => {
    await expect(render(md)).rejects.toThrow(message);
  });
});
