import { describe, expect, it } from "vitest";
import {
  ChangePasswordSchema,
  DeleteAccountSchema,
  isCommonPassword,
  ResetPasswordSchema,
  safeNextPath,
  SignInSchema,
  SignUpSchema,
} from "./account";

const issues = (r: { success: boolean; error?: { issues: { path: (string | number)[] }[] } }) =>
  r.success ? [] : (r.error?.issues ?? []).map((i) => i.path.join("."));

describe("account forms", () => {
  it.each([
    // input, fields that must be reported
    [{ name: "Ann", email: "ann@example.com", password: "long enough pw", confirm: "long enough pw" }, []],
    [{ name: "", email: "ann@example.com", password: "long enough pw", confirm: "long enough pw" }, ["name"]],
    [{ name: "Ann", email: "not-an-email", password: "long enough pw", confirm: "long enough pw" }, ["email"]],
    [{ name: "Ann", email: "ann@example.com", password: "short", confirm: "short" }, ["password"]],
    [{ name: "Ann", email: "ann@example.com", password: "long enough pw", confirm: "different pw!" }, ["confirm"]],
    [{}, ["name", "email", "password", "confirm"]],
  ])("sign-up %j reports %j", (input, fields) => {
    expect(issues(SignUpSchema.safeParse(input))).toEqual(fields);
  });

  it("normalises the email", () => {
    expect(SignInSchema.parse({ email: "  Ann@Example.COM ", password: "x" }).email).toBe("ann@example.com");
  });

  it("asks for the word delete before deleting", () => {
    expect(issues(DeleteAccountSchema.safeParse({ password: "x", confirm: "yes" }))).toEqual(["confirm"]);
    expect(DeleteAccountSchema.safeParse({ password: "x", confirm: "delete" }).success).toBe(true);
  });

  it("checks the new password twice", () => {
    expect(
      issues(
        ChangePasswordSchema.safeParse({ currentPassword: "a", newPassword: "0123456789x", confirm: "0123456788x" }),
      ),
    ).toEqual(["confirm"]);
  });

  it.each([
    // password, refused?
    ["password12", true],
    ["1234567890", true],
    ["qwertyuiop", true],
    ["Password12", true],
    [" iloveyou12 ", true],
    ["          ", true],
    ["\t\t\t\t\t\t\t\t\t\t", true],
    ["a long enough passphrase", false],
    ["correct horse battery", false],
    ["  spaced but real  ", false],
  ])("a new password %j is refused: %s, on sign-up, change and reset alike", (password, refused) => {
    const field = (r: ReturnType<typeof issues>, name: string) => r.includes(name);
    expect(
      field(
        issues(SignUpSchema.safeParse({ name: "Ann", email: "ann@example.com", password, confirm: password })),
        "password",
      ),
    ).toBe(refused);
    expect(
      field(
        issues(ChangePasswordSchema.safeParse({ currentPassword: "x", newPassword: password, confirm: password })),
        "newPassword",
      ),
    ).toBe(refused);
    expect(
      field(
        issues(ResetPasswordSchema.safeParse({ token: "abcdefghijklmnop", newPassword: password, confirm: password })),
        "newPassword",
      ),
    ).toBe(refused);
  });

  it("asks for an empty password rather than calling it spaces (issue 24 item 11)", () => {
    const empty = SignUpSchema.safeParse({ name: "Ann", email: "ann@example.com", password: "", confirm: "" });
    const messages = empty.error?.issues.filter((i) => i.path[0] === "password").map((i) => i.message) ?? [];
    expect(messages).toEqual([expect.stringMatching(/^Choose a password of at least \d+ characters\.$/)]);
  });

  it.each(["delete", "Delete", "DELETE", " delete "])(
    "takes %j as the word that confirms a deletion (phones capitalise it)",
    (word) => {
      expect(DeleteAccountSchema.safeParse({ password: "x", confirm: word }).success).toBe(true);
    },
  );

  it.each(["", "deleted", "yes"])("refuses %j as the word that confirms a deletion", (word) => {
    expect(DeleteAccountSchema.safeParse({ password: "x", confirm: word }).success).toBe(false);
  });

  it("says why a common or blank password is refused", () => {
    const r = SignUpSchema.safeParse({
      name: "Ann",
      email: "ann@example.com",
      password: "password12",
      confirm: "password12",
    });
    expect(r.error?.issues[0]?.message).toContain("most common passwords");
    const blank = SignUpSchema.safeParse({
      name: "Ann",
      email: "ann@example.com",
      password: " ".repeat(10),
      confirm: " ".repeat(10),
    });
    expect(blank.error?.issues[0]?.message).toContain("only spaces");
    expect(isCommonPassword("PASSWORD12")).toBe(true);
  });

  it.each([
    ["/sessions", "/sessions"],
    ["https://evil.example/", "/account"],
    ["//evil.example", "/account"],
    ["/\\evil.example", "/account"],
    ["/\u007f", "/account"],
    ["/\n", "/account"],
    ["/\t/evil.invalid/x", "/account"],
    ["/\u2713", "/account"],
    [null, "/account"],
  ])("safeNextPath(%j) is %j", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
