import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeEachDatabase } from "../db/testing";
import { verification } from "../db/schema";
import { createAuth } from "./auth";
import { deleteResetTokens } from "../repositories/credentials";
import { withResetLinkOrigin } from "./reset-tokens";

describeEachDatabase("password-reset links", (t) => {
  const mails: string[] = [];
  const make = () =>
    createAuth(t.db, {
      secret: "x".repeat(40),
      secureCookies: false,
      siteUrl: "https://site.example",
      mailer: { send: (m) => Promise.resolve(void mails.push(m.text)) },
    });
  const tokenOf = (mail: string | undefined) => /token=([A-Za-z0-9_-]+)/.exec(mail ?? "")?.[1] ?? "";
  const tokensOf = async (userId: string) =>
    (
      await t.db
        .select({ identifier: verification.identifier })
        .from(verification)
        .where(eq(verification.value, userId))
    )
      .map((r) => r.identifier.replace("reset-password:", ""))
      .sort();
  const signUp = async (auth: ReturnType<typeof make>, email: string) =>
    (await auth.api.signUpEmail({ body: { name: "R", email, password: "a long enough passphrase" } })).user.id;

  it("keeps only the newest link when a person asks again", async () => {
    const auth = make();
    const id = await signUp(auth, "again@example.com");
    await auth.api.requestPasswordReset({ body: { email: "again@example.com" } });
    await auth.api.requestPasswordReset({ body: { email: "again@example.com" } });
    const [first, second] = mails.splice(0).map(tokenOf);
    expect(first).not.toBe(second);
    expect(await tokensOf(id)).toEqual([second]);
    await expect(
      auth.api.resetPassword({ body: { token: first ?? "", newPassword: "another long passphrase" } }),
    ).rejects.toThrow();
  });

  it("deletes every outstanding link once the password is reset with any of them", async () => {
    const auth = make();
    const id = await signUp(auth, "reset@example.com");
    await auth.api.requestPasswordReset({ body: { email: "reset@example.com" } });
    const used = tokenOf(mails.splice(0)[0]);
    // A second outstanding link, as one made before links replaced each other would be.
    await t.db.insert(verification).values({
      id: "older-link",
      identifier: "reset-password:olderlinktoken",
      value: id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect(await tokensOf(id)).toHaveLength(2);
    await auth.api.resetPassword({ body: { token: used, newPassword: "another long passphrase" } });
    expect(await tokensOf(id)).toEqual([]);
  });

  it("deleteResetTokens touches only that person's reset links", async () => {
    const auth = make();
    const ann = await signUp(auth, "ann@example.com");
    const bob = await signUp(auth, "bob@example.com");
    const soon = new Date(Date.now() + 3_600_000);
    await t.db.insert(verification).values([
      { id: "a1", identifier: "reset-password:annone", value: ann, expiresAt: soon },
      { id: "a2", identifier: "reset-password:anntwo", value: ann, expiresAt: soon },
      { id: "a3", identifier: "email-verification:ann", value: ann, expiresAt: soon },
      { id: "b1", identifier: "reset-password:bobone", value: bob, expiresAt: soon },
    ]);
    await deleteResetTokens(t.db, ann, "anntwo");
    expect(await tokensOf(ann)).toEqual(["anntwo", "email-verification:ann"]);
    await deleteResetTokens(t.db, ann);
    expect(await tokensOf(ann)).toEqual(["email-verification:ann"]);
    expect(await tokensOf(bob)).toEqual(["bobone"]);
  });

  it("links to the origin the request gave, else to MATWISE_SITE_URL", async () => {
    const auth = make();
    await signUp(auth, "link@example.com");
    await withResetLinkOrigin("http://127.0.0.1:4321", () =>
      auth.api.requestPasswordReset({ body: { email: "link@example.com" } }),
    );
    await auth.api.requestPasswordReset({ body: { email: "link@example.com" } });
    const [viaRequest, viaSite] = mails.splice(0);
    expect(viaRequest).toContain("http://127.0.0.1:4321/account/reset-password?token=");
    expect(viaSite).toContain("https://site.example/account/reset-password?token=");
  });
});
