import { describe, expect, it } from "vitest";
import { SignUpSchema } from "./account";
import { FeedbackSchema } from "./feedback";
import { UserMatFormSchema } from "./mats/user-mat";
import { createSessionFormSchema } from "./sessions/schema";
import { isCleanLine, isCleanText } from "./text";

describe("text a person types", () => {
  it.each([
    // text, clean as free text, clean as one line
    ["plain words", true, true],
    ["tab\tand\nnewline\r\n", true, false],
    ["ümlaut, emoji 🙂, 日本語", true, true],
    ["nul\u0000", false, false],
    ["bell\u0007", false, false],
    ["escape\u001b[31m", false, false],
    ["form feed\u000c", false, false],
    ["delete\u007f", false, false],
    ["c1\u0085", false, false],
  ])("%j: free text %s, one line %s", (text, asText, asLine) => {
    expect(isCleanText(text)).toBe(asText);
    expect(isCleanLine(text)).toBe(asLine);
  });

  // Every text field of every form goes through the same check.
  const session = createSessionFormSchema([], new Date("2026-12-01T12:00:00Z"));
  const sessionForm = {
    startedAt: "2026-12-01T08:30",
    minutes: "10",
    seconds: "0",
    position: "lying",
    area: "back",
    layer: "clothing",
    discomfort: "1",
    painBefore: "1",
    painAfter: "1",
    tensionBefore: "1",
    tensionAfter: "1",
    stressBefore: "1",
    stressAfter: "1",
    relaxationBefore: "1",
    relaxationAfter: "1",
  };
  const fields = (r: { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } }) =>
    (r.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
  it.each([
    ["a session note", () => session.safeParse({ ...sessionForm, note: "fine\u0000" }), "note"],
    ["a mat name", () => UserMatFormSchema.safeParse({ name: "Blue\u0000mat" }), "name"],
    ["a mat note", () => UserMatFormSchema.safeParse({ name: "Blue mat", note: "soft\u0000" }), "note"],
    [
      "a feedback message",
      () => FeedbackSchema.safeParse({ path: "/", kind: "other", message: "typo\u0000here" }),
      "message",
    ],
    [
      "an account name",
      () =>
        SignUpSchema.safeParse({
          name: "Ann\u0000",
          email: "ann@example.com",
          password: "long enough pw",
          confirm: "long enough pw",
        }),
      "name",
    ],
    [
      "an account name with a line break",
      () =>
        SignUpSchema.safeParse({
          name: "Ann\nBob",
          email: "ann@example.com",
          password: "long enough pw",
          confirm: "long enough pw",
        }),
      "name",
    ],
  ])("%s with a control character is refused with a message", (_what, parse, field) => {
    const found = fields(parse());
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${field}: .*(control character|one line)`));
  });

  it("keeps line breaks in notes", () => {
    expect(session.parse({ ...sessionForm, note: "line one\r\nline two" }).note).toBe("line one\r\nline two");
  });
});
