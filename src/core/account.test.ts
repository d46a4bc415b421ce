import { describe, expect, it } from "vitest";
import { ChangePasswordSchema, DeleteAccountSchema, safeNextPath, SignInSchema, SignUpSchema } from "./account";

const issues = (r: { success: boolean; error?: { issues: { path: (string | number)[] }[] } }) => (r.success ? [] : (r.error?.issues ?? []).map((i) => i.path.join(".")));

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
    expect(issues(ChangePasswordSchema.safeParse({ currentPassword: "a", newPassword: "0123456789", confirm: "0123456788" }))).toEqual(["confirm"]);
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
