/**
 * What the account forms accept. Messages are written for the person filling the form.
 * @module
 */
import { dictionary } from "@zxcvbn-ts/language-common";
import { z } from "zod";
import { sameSitePath } from "./paths";
import { lineText } from "./text";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const email = z
  .string({ required_error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter an email address like name@example.com.");

/**
 * Passwords that are among the first any attacker tries: the common-password list that zxcvbn
 * maintains (about 49,000 from public breach corpora), compared without case or surrounding
 * spaces. Only those of at least PASSWORD_MIN characters can matter.
 * @see https://github.com/zxcvbn-ts/zxcvbn (packages/languages/common)
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary["passwords-common"].filter((p) => p.length >= PASSWORD_MIN),
);

/** Whether `password` is on the common-password list (case and surrounding spaces ignored). */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.trim().toLowerCase());
}

/** A new password: one message at a time, the most basic first (an empty field is asked for, not called spaces). */
const newPassword = z.string({ required_error: "Choose a password." }).superRefine((p, ctx) => {
  const problem = (message: string) => ctx.addIssue({ code: "custom", message });
  if (p.length === 0) return problem(`Choose a password of at least ${PASSWORD_MIN} characters.`);
  if (!/\S/.test(p))
    return problem("A password of only spaces is not a password. Choose one with letters or numbers too.");
  if (p.length < PASSWORD_MIN) return problem(`Use at least ${PASSWORD_MIN} characters.`);
  if (p.length > PASSWORD_MAX) return problem(`Use at most ${PASSWORD_MAX} characters.`);
  if (isCommonPassword(p))
    problem(
      "That is one of the most common passwords, the first ones anybody tries. Choose another: a few unrelated words work well.",
    );
});

export const SignUpSchema = z
  .object({
    name: lineText(
      z
        .string({ required_error: "Enter a name." })
        .trim()
        .min(1, "Enter a name (it can be a nickname).")
        .max(80, "Keep the name under 80 characters."),
    ),
    email,
    password: newPassword,
    confirm: z.string({ required_error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords are not the same." });

export const SignInSchema = z.object({
  email,
  password: z
    .string({ required_error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX, "That password is too long."),
});

export const ChangePasswordSchema = z
  .object({
    currentPassword: z
      .string({ required_error: "Enter your current password." })
      .min(1, "Enter your current password."),
    newPassword,
    confirm: z.string({ required_error: "Type the new password again." }),
    signOutOthers: z.enum(["on"]).optional(),
  })
  .refine((v) => v.newPassword === v.confirm, {
    path: ["confirm"],
    message: "The two new passwords are not the same.",
  });

export const DeleteAccountSchema = z.object({
  password: z.string({ required_error: "Enter your password to confirm." }).min(1, "Enter your password to confirm."),
  // Phones capitalise the first letter: "Delete", "DELETE" and " delete " count too.
  confirm: z
    .string({ required_error: 'Type the word "delete" to confirm.' })
    .refine((v) => v.trim().toLowerCase() === "delete", 'Type the word "delete" to confirm.'),
});

export const ForgotPasswordSchema = z.object({ email });

export const ResetPasswordSchema = z
  .object({
    token: z
      .string({ required_error: "The reset link is incomplete." })
      .min(10, "The reset link is incomplete.")
      .max(200, "The reset link is not valid.")
      .regex(/^[A-Za-z0-9_-]+$/, "The reset link is not valid. Copy the whole link from the email."),
    newPassword,
    confirm: z.string({ required_error: "Type the new password again." }),
  })
  .refine((v) => v.newPassword === v.confirm, {
    path: ["confirm"],
    message: "The two new passwords are not the same.",
  });

/** Where to go after signing in or up: `next` when it is a same-site path (`isSameSitePath`), otherwise /account. */
export function safeNextPath(next: string | null | undefined): string {
  return sameSitePath(next, "/account");
}
