import { describe, expect, it } from "vitest";
import { CsvError, NOT_TEXT, parseCsv, parseCsvWithOptional, writeCsv } from "./csv";

describe("parseCsv", () => {
  it("reads quoted fields across lines, CRLF, a BOM and blank lines, naming each row by its line", () => {
    const rows = parseCsv('\uFEFFb,a\r\n1,"x\r\ny"\r\n\r\n"say ""hi""",4\r\n', ["a", "b"]);
    expect(rows).toEqual([
      { row: 2, fields: { a: "x\r\ny", b: "1" } },
      { row: 5, fields: { a: "4", b: 'say "hi"' } },
    ]);
  });
  it.each([
    // text, the one-line message
    ["", "row 1: the file is empty; the header must be a,b"],
    ["a\n1\n", 'row 1: missing column "b" (the header must be a,b)'],
    ["a,b,c\n", 'row 1: unexpected column "c" (the header must be a,b)'],
    ["a,a\n", 'row 1: column "a" appears twice'],
    ["a,b\n1,2\n3\n", "row 3: expected 2 fields (a,b), found 1"],
    ['a,b\n1,2\n"3,4\n', "row 3: a quoted field is not closed"],
  ])("%j → %s", (text, message) => {
    expect(() => parseCsv(text, ["a", "b"])).toThrow(CsvError);
    expect(() => parseCsv(text, ["a", "b"])).toThrow(message);
  });
});

describe("parseCsvWithOptional", () => {
  it("finds an optional column anywhere in the header, after a BOM, blank lines and in quotes", () => {
    expect(parseCsvWithOptional('\uFEFF\r\n"c",b,a\r\n3,2,1\r\n', ["a", "b"], ["c"])).toEqual([
      { row: 3, fields: { a: "1", b: "2", c: "3" } },
    ]);
  });
  it("leaves an absent optional column undefined", () => {
    const [row] = parseCsvWithOptional("b,a\n2,1\n", ["a", "b"], ["c"]);
    expect(row!.fields).toEqual({ a: "1", b: "2" });
    expect(row!.fields.c).toBeUndefined();
  });
  it.each([
    // text, the one-line message: the header is named as the file has it
    ["", "row 1: the file is empty; the header must be a,b"],
    ["a,b,d\n", 'row 1: unexpected column "d" (the header must be a,b)'],
    ["a,c\n", 'row 1: missing column "b" (the header must be a,b,c)'],
    ["a,b,c\n1,2\n", "row 2: expected 3 fields (a,b,c), found 2"],
    ["a,b\n1,\u00002\n", NOT_TEXT],
  ])("%j → %s", (text, message) => {
    expect(() => parseCsvWithOptional(text, ["a", "b"], ["c"])).toThrow(CsvError);
    expect(() => parseCsvWithOptional(text, ["a", "b"], ["c"])).toThrow(message);
  });
});

describe("writeCsv", () => {
  it("quotes per RFC 4180, writes dates as ISO 8601 and keeps formulas inert but numbers as numbers", () => {
    const text = writeCsv(
      [
        { a: "=1+1", b: -1.5, c: 'say "hi", ok' },
        { a: null, b: new Date(0), c: "two\nlines" },
      ],
      ["a", "b", "c"],
    );
    expect(text).toBe(`a,b,c\r\n'=1+1,-1.5,"say ""hi"", ok"\r\n,1970-01-01T00:00:00.000Z,"two\nlines"\r\n`);
  });
  it("round-trips through parseCsv", () => {
    const rows = [
      { id: "ann", note: 'a "quoted", multi\nline note' },
      { id: "bob", note: "" },
    ];
    expect(parseCsv(writeCsv(rows, ["id", "note"]), ["id", "note"]).map((r) => ({ ...r.fields }))).toEqual(rows);
  });
});
