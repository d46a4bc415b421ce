import { describe, expect, it } from "vitest";
import { parseStoredList, putById, removeByIds } from "./stored-list";

const readOne = (v: unknown) =>
  typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string"
    ? { id: (v as { id: string }).id }
    : null;

describe("stored lists", () => {
  it.each([null, "", "not json", "{}", '"text"'])("reads %j as an empty list", (raw) =>
    expect(parseStoredList(raw, readOne, 5)).toEqual([]),
  );

  it("drops unreadable entries and repeats of an id, and keeps the newest up to the cap", () => {
    const raw = JSON.stringify([{ id: "a" }, 7, { id: "b" }, { id: "a" }, { id: "c" }, { id: "d" }]);
    expect(parseStoredList(raw, readOne, 3).map((x) => x.id)).toEqual(["b", "c", "d"]);
  });

  it("puts an entry last, replacing its id, and removes by id", () => {
    const list = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(putById(list, { id: "a" }, 3).map((x) => x.id)).toEqual(["b", "c", "a"]);
    expect(putById(list, { id: "d" }, 3).map((x) => x.id)).toEqual(["b", "c", "d"]);
    expect(removeByIds(list, ["b", "z"]).map((x) => x.id)).toEqual(["a", "c"]);
  });
});
