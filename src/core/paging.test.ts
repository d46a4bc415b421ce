import { describe, expect, it } from "vitest";
import { pageWindow, parsePage } from "./paging";

describe("parsePage", () => {
  it("reads a plain whole number from 1 and takes anything else as the first page", () => {
    expect(parsePage("3")).toBe(3);
    for (const odd of [null, "", "0", "-2", "2.5", "1e3", " 2", "02", "9999999", "two"])
      expect(parsePage(odd), String(odd)).toBe(1);
  });
});

describe("pageWindow", () => {
  it("gives the window of each page, the last one short, and the last page for a number past the end", () => {
    expect(pageWindow(1000, 50, 1)).toEqual({ page: 1, pages: 20, offset: 0, first: 1, last: 50 });
    expect(pageWindow(1000, 50, 2)).toEqual({ page: 2, pages: 20, offset: 50, first: 51, last: 100 });
    expect(pageWindow(1001, 50, 21)).toEqual({ page: 21, pages: 21, offset: 1000, first: 1001, last: 1001 });
    expect(pageWindow(1001, 50, 99)).toEqual(pageWindow(1001, 50, 21));
  });

  it("shows one empty page for an empty list", () => {
    expect(pageWindow(0, 20, 5)).toEqual({ page: 1, pages: 1, offset: 0, first: 1, last: 0 });
  });
});
