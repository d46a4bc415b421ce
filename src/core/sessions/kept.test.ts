import { describe, expect, it } from "vitest";
import {
  getKeptRefusal,
  KEPT_REFUSAL_TEXT,
  keptSessionFields,
  makeKeptId,
  MAX_KEPT_SESSIONS,
  parseKeptSessions,
  putKeptSession,
  removeKeptSessions,
  splitWaiting,
  type KeptSession,
} from "./kept";
import { createSessionFormSchema } from "./schema";

const kept: KeptSession = {
  id: "k1",
  startedAt: "2026-12-01T08:00:00.000Z",
  durationSeconds: 605,
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: "spoonk",
  ratings: { discomfort: 6, painBefore: 4, painAfter: 3 },
  note: "",
  rated: true,
  waitingFor: null,
};

describe("parseKeptSessions", () => {
  it.each([
    [null, []],
    ["", []],
    ["{", []],
    ['{"id":"k1"}', []], // not a list
    [JSON.stringify([kept]), [kept]],
    [JSON.stringify([kept, kept]), [kept]], // one per id
    [JSON.stringify([{ ...kept, id: "BAD ID" }]), []],
    [JSON.stringify([{ ...kept, position: "upside-down" }]), []],
    [JSON.stringify([{ ...kept, durationSeconds: 0 }]), []],
    [
      JSON.stringify([{ ...kept, ratings: { discomfort: 11, painAfter: 2 } }]),
      [{ ...kept, ratings: { painAfter: 2 }, rated: false }],
    ], // a rating out of range is dropped, and without discomfort it is not rated
    [JSON.stringify([{ ...kept, note: 5 }]), [{ ...kept, note: "" }]],
    [JSON.stringify([{ ...kept, waitingFor: "acc_1" }]), [{ ...kept, waitingFor: "acc_1" }]],
    [JSON.stringify([{ ...kept, waitingFor: "not an id!" }]), [kept]],
    [JSON.stringify([{ ...kept, rated: false, waitingFor: "acc_1" }]), [{ ...kept, rated: false }]], // only a rated session waits to be sent
  ])("%j", (raw, want) => expect(parseKeptSessions(raw)).toEqual(want));

  it("keeps the newest when there are too many", () => {
    let list: KeptSession[] = [];
    for (let i = 0; i < MAX_KEPT_SESSIONS + 5; i++) list = putKeptSession(list, { ...kept, id: `k${i}` });
    expect(list).toHaveLength(MAX_KEPT_SESSIONS);
    expect(list[0]?.id).toBe("k5");
    expect(parseKeptSessions(JSON.stringify([...list, { ...kept, id: "k99" }]))[0]?.id).toBe("k6");
  });
});

describe("changing the list", () => {
  it("replaces by id and removes by id", () => {
    const two = putKeptSession([kept], { ...kept, id: "k2" });
    expect(putKeptSession(two, { ...kept, note: "changed" }).map((s) => [s.id, s.note])).toEqual([
      ["k2", ""],
      ["k1", "changed"],
    ]);
    expect(removeKeptSessions(two, ["k1", "nope"]).map((s) => s.id)).toEqual(["k2"]);
  });

  it("makes ids the server accepts", () => {
    expect(makeKeptId(1_796_000_000_000, 0.5)).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(makeKeptId(1, 0)).not.toBe(makeKeptId(1, 0.9));
  });
});

describe("keptSessionFields", () => {
  it("gives the session form's fields, which its schema accepts", () => {
    const fields = keptSessionFields(kept);
    expect(fields).toMatchObject({
      startedAt: "2026-12-01T08:00:00.000Z",
      minutes: "10",
      seconds: "5",
      discomfort: "6",
      tensionBefore: "",
    });
    const parsed = createSessionFormSchema(["spoonk"], new Date("2026-12-02T00:00:00Z"), "Pacific/Auckland").parse(
      fields,
    );
    expect(parsed).toMatchObject({
      startedAt: "2026-12-01T08:00:00.000Z",
      durationSeconds: 605,
      discomfort: 6,
      painAfter: 3,
      tensionBefore: null,
    });
  });
});

describe("splitWaiting", () => {
  it("picks the sessions waiting for this account only", () => {
    const mine = { ...kept, id: "a", waitingFor: "acc_1" };
    const theirs = { ...kept, id: "b", waitingFor: "acc_2" };
    const visitor = { ...kept, id: "c" };
    expect(splitWaiting([mine, theirs, visitor], "acc_1")).toEqual({ waiting: [mine], others: [theirs, visitor] });
    expect(splitWaiting([mine, theirs, visitor], null)).toEqual({ waiting: [], others: [mine, theirs, visitor] });
  });
});

describe("getKeptRefusal (issue 24 item 11)", () => {
  const schema = createSessionFormSchema([], new Date("2026-12-06T12:00:00Z"), "UTC");
  const base = {
    startedAt: "2026-12-06T08:00",
    minutes: "10",
    seconds: "0",
    position: "lying",
    area: "back",
    layer: "clothing",
    matId: "",
    note: "",
    discomfort: "3",
  };
  const reason = (fields: Record<string, string>) => {
    const r = schema.safeParse(fields);
    return r.success ? null : getKeptRefusal(r.error.issues, fields);
  };
  it("tells a start in the future from a missing answer", () => {
    expect(reason(base)).toBeNull();
    expect(reason({ ...base, startedAt: "2026-12-07T08:00" })).toBe("future");
    const { discomfort: _, ...noRating } = base;
    expect(reason(noRating)).toBe("incomplete");
    expect(reason({ ...base, discomfort: "12" })).toBe("invalid");
    expect(KEPT_REFUSAL_TEXT.future).toMatch(/later than now/);
  });
});
