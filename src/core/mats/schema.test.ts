import { describe, expect, it } from "vitest";
import { estimateContact, REFERENCE_MAT } from "../pressure/model";
import { formatSpikeCount, getBasisLabel, getMatGeometry, MatSchema, type Mat } from "./schema";

/** The catalogue files themselves, loaded by vite (no Node APIs in core). */
const files = import.meta.glob<unknown>("../../content/mats/*.json", { eager: true, import: "default" });
const catalogue = Object.entries(files).map(([path, data]) => ({ id: path.replace(/^.*\/(.+)\.json$/, "$1"), data }));

function parseMat(id: string): Mat {
  const entry = catalogue.find((e) => e.id === id);
  if (!entry) throw new Error(`no ${id}.json`);
  return MatSchema.parse(entry.data);
}

describe("the catalogue files", () => {
  it("has the archetypes and the named products of the research notes", () => {
    expect(catalogue.map((e) => e.id).sort()).toEqual(
      [
        "bed-of-nails",
        "generic-gentle-mat",
        "generic-kuznetsov-applicator",
        "generic-typical-mat",
        "halsa-rattlebug",
        "lyapko-applicator",
        "pranamat-eco",
        "shakti-light",
        "shakti-original",
        "spoonk",
        "yantra",
      ].sort(),
    );
  });

  it.each(catalogue.map((e) => [e.id, e.data] as const))(
    "%s is valid, kebab-case and has no foam thickness",
    (id, data) => {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const result = MatSchema.safeParse(data);
      expect(result.success ? [] : result.error.issues).toEqual([]);
      // No source states foam thickness for any mat: it must stay empty.
      if (result.success) expect(result.data.foamThickness.valueMm).toBeNull();
    },
  );

  it("has unique names", () => {
    const names = catalogue.map((e) => MatSchema.parse(e.data).name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    // id, spike count, qualifier, basis of the count, length mm, width mm
    ["shakti-original", 6210, "exact", "study", 740, 400], // count confirmed by olsson-2011
    ["shakti-light", 8000, "about", "maker", null, null],
    ["spoonk", 6210, "exact", "maker", null, null],
    ["halsa-rattlebug", 8820, "exact", "maker", null, null],
    ["yantra", 8820, "at least", "maker", null, null],
    ["bed-of-nails", 8800, "exact", "maker", null, null],
    ["pranamat-eco", null, "exact", null, null, null], // count not seen
    ["lyapko-applicator", null, "exact", null, null, null],
    ["generic-kuznetsov-applicator", 1320, "exact", "archetype", 508, 228.6], // 20 × 9 inches
  ] as const)("%s: %s spikes (%s, %s), %s × %s mm", (id, count, qualifier, basis, length, width) => {
    const mat = parseMat(id);
    expect(mat.spikeCount).toMatchObject({ value: count, qualifier, basis });
    expect(mat.size).toMatchObject({ lengthMm: length, widthMm: width });
  });

  it("the Shakti original is the model's reference and cites olsson-2011 for its count", () => {
    const mat = parseMat("shakti-original");
    expect(getMatGeometry(mat)).toEqual({
      spikeCount: REFERENCE_MAT.spikeCount,
      lengthMm: REFERENCE_MAT.lengthMm,
      widthMm: REFERENCE_MAT.widthMm,
    });
    expect(mat.spikeCount.studyId).toBe("olsson-2011");
  });

  it("the Bed of Nails has rounded tips as stated by the maker", () => {
    expect(parseMat("bed-of-nails").tipShape).toMatchObject({ value: "rounded", basis: "maker" });
  });

  it("mats without a size get no estimate instead of a guess", () => {
    expect(estimateContact(getMatGeometry(parseMat("spoonk")), "lying").kind).toBe("unknown");
    expect(estimateContact(getMatGeometry(parseMat("shakti-original")), "lying").kind).toBe("estimate");
  });
});

const known = { basis: "maker", source: "maker's page" };
const unknown = { value: null, basis: null, source: null };
const valid = {
  name: "Test mat",
  kind: "product",
  form: "mat",
  maker: "Test",
  summary: "A mat used only in tests.",
  spikeCount: { value: 6000, ...known },
  size: { lengthMm: 700, widthMm: 400, ...known },
  spikeMaterial: unknown,
  tipShape: unknown,
  cover: unknown,
  filling: unknown,
  foamThickness: { valueMm: null, basis: null, source: null },
  order: 50,
};

describe("MatSchema cross-field checks", () => {
  it("accepts a minimal valid product", () => {
    expect(MatSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    // what is wrong, the change, the path of the issue, words of the message
    [
      "a known count without a basis",
      { spikeCount: { value: 6000, basis: null, source: "x" } },
      "spikeCount.basis",
      "needs a basis",
    ],
    [
      "a known count without a source",
      { spikeCount: { value: 6000, basis: "maker", source: null } },
      "spikeCount.source",
      "needs a source",
    ],
    [
      "an unknown count with a basis",
      { spikeCount: { value: null, basis: "maker", source: "x" } },
      "spikeCount.basis",
      "basis must be null",
    ],
    [
      "an unknown count with a qualifier",
      { spikeCount: { ...unknown, qualifier: "about" } },
      "spikeCount.qualifier",
      "leave qualifier out",
    ],
    [
      "a study basis without studyId",
      { spikeCount: { value: 6000, basis: "study", source: "x" } },
      "spikeCount.studyId",
      "needs studyId",
    ],
    [
      "studyId on a maker figure",
      { spikeCount: { value: 6000, basis: "maker", source: "x", studyId: "olsson-2011" } },
      "spikeCount.studyId",
      "only for basis",
    ],
    ["a fractional count", { spikeCount: { value: 6000.5, ...known } }, "spikeCount.value", ""],
    [
      "only a length",
      { size: { lengthMm: 700, widthMm: null, ...known } },
      "size.widthMm",
      "both lengthMm and widthMm",
    ],
    ["width larger than length", { size: { lengthMm: 400, widthMm: 700, ...known } }, "size.widthMm", "longer side"],
    [
      "a size in centimetres by mistake",
      { size: { lengthMm: 70, widthMm: 40000, ...known } },
      "size.widthMm",
      "millimetres",
    ],
    [
      "statedAs without a size",
      { size: { lengthMm: null, widthMm: null, statedAs: "20 × 9 in", basis: null, source: null } },
      "size.statedAs",
      "convert it",
    ],
    ["a product without a maker", { maker: null }, "maker", "needs its maker"],
    [
      "an archetype with a maker",
      {
        kind: "archetype",
        spikeCount: { value: 6000, basis: "archetype", source: "x" },
        size: { lengthMm: 700, widthMm: 400, basis: "archetype", source: "x" },
      },
      "maker",
      "not a product",
    ],
    [
      "a product with an archetype figure",
      { spikeCount: { value: 6000, basis: "archetype", source: "x" } },
      "spikeCount.basis",
      "only for archetype",
    ],
    ["an unknown field", { colour: "blue" }, "", "Unrecognized key"],
  ])("refuses %s", (_, change, path, words) => {
    const result = MatSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    if (!result.success) {
      const issue = result.error.issues.find((i) => i.path.join(".") === path);
      expect(issue, JSON.stringify(result.error.issues)).toBeDefined();
      expect(issue?.message).toContain(words);
    }
  });
});

describe("labels", () => {
  it.each([
    ["maker", "as stated by the maker"],
    ["study", "reported in a study"],
    ["archetype", "typical figure, not a product"],
  ] as const)("%s → %s", (basis, label) => {
    expect(getBasisLabel(basis)).toBe(label);
  });

  it.each([
    [{ value: 6210, qualifier: "exact" }, "6,210"],
    [{ value: 8000, qualifier: "about" }, "about 8,000"],
    [{ value: 8820, qualifier: "at least" }, "at least 8,820"],
    [{ value: null, qualifier: "exact" }, null],
  ] as const)("formatSpikeCount(%j) = %j", (spec, text) => {
    expect(formatSpikeCount({ ...spec, basis: null, source: null, studyId: null, note: null })).toBe(text);
  });
});
