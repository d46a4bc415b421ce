import { describe, expect, it } from "vitest";
import { MAX_WAITING, parseOutbox, putWaiting, removeWaiting, sameForm, type WaitingPost } from "./outbox";

const post: WaitingPost = {
  id: "6e0c7a52-41f9-4d2e-9b1a-3c5d7e9f1a2b",
  action: "/experiments/0b9e6c1d-2f3a-4b5c-8d7e-6f5a4b3c2d1e/check-in",
  fields: { kind: "evening", date: "2026-12-01", adherence: "as-assigned", pain: "4" },
  account: "acc_1",
};

describe("parseOutbox", () => {
  it.each([
    [null, []],
    ["{", []],
    ["{}", []],
    [JSON.stringify([post]), [post]],
    [JSON.stringify([post, post]), [post]],
    [JSON.stringify([{ ...post, action: "/account/delete" }]), []], // only check-ins wait
    [
      JSON.stringify([
        { ...post, action: "https://elsewhere.example/experiments/0b9e6c1d-2f3a-4b5c-8d7e-6f5a4b3c2d1e/check-in" },
      ]),
      [],
    ],
    [JSON.stringify([{ ...post, id: "NOT AN ID" }]), []],
    [JSON.stringify([{ ...post, account: "" }]), []],
    [
      JSON.stringify([{ ...post, fields: { ...post.fields, pain: 4, __proto__x: "1" } }]),
      [{ ...post, fields: { kind: "evening", date: "2026-12-01", adherence: "as-assigned" } }],
    ],
  ])("%j", (raw, want) => expect(parseOutbox(raw)).toEqual(want));
});

describe("the waiting list", () => {
  it("adds, replaces, drops the oldest past the limit, and removes", () => {
    let list: WaitingPost[] = [];
    for (let i = 0; i < MAX_WAITING + 3; i++) list = putWaiting(list, { ...post, id: `p${i}` });
    expect(list).toHaveLength(MAX_WAITING);
    expect(list[0]?.id).toBe("p3");
    expect(removeWaiting(list, ["p3", "p4"])[0]?.id).toBe("p5");
  });

  it("knows the form a post came from", () => {
    expect(sameForm(post, post.action, { kind: "evening", date: "2026-12-01" })).toBe(true);
    expect(sameForm(post, post.action, { kind: "morning", date: "2026-12-01" })).toBe(false);
    expect(sameForm(post, post.action, { kind: "evening", date: "2026-12-02" })).toBe(false);
  });
});
