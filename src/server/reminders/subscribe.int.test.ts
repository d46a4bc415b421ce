/**
 * Issue 25, items 2 and 7: a subscription is kept only for a real push service's endpoint, and
 * an endpoint that one account holds is never moved to another.
 */
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { ConflictError, ValidationError } from "../../core/errors";
import { setProcessDatabase } from "../db/client";
import { pushSubscription, user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { subscribePush } from "./actions";

const keys = { p256dh: `B${"k".repeat(86)}`, auth: "a".repeat(22) };
const post = (body: unknown) =>
  new Request("http://localhost/account/reminders/push", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describeEachDatabase("push subscriptions", (t) => {
  beforeAll(async () => {
    setProcessDatabase(t.handle);
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com", timeZone: "UTC" },
      { id: "eve", name: "Eve", email: "eve@example.com", timeZone: "UTC" },
    ]);
  });
  const ownerOf = async (endpoint: string) =>
    (
      await t.db
        .select({ userId: pushSubscription.userId, p256dh: pushSubscription.p256dh })
        .from(pushSubscription)
        .where(eq(pushSubscription.endpoint, endpoint))
    )[0];

  it("keeps ann's endpoint hers when eve posts it, and lets ann renew it", async () => {
    const endpoint = "https://fcm.googleapis.com/fcm/send/ann-device";
    expect((await subscribePush(t.db, post({ endpoint, keys }), "ann")).status).toBe(204);
    await expect(
      subscribePush(t.db, post({ endpoint, keys: { ...keys, p256dh: `B${"e".repeat(86)}` } }), "eve"),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await ownerOf(endpoint)).toEqual({ userId: "ann", p256dh: keys.p256dh });
    // The owner sending it again (new keys after a browser update) still works.
    expect(
      (await subscribePush(t.db, post({ endpoint, keys: { ...keys, p256dh: `B${"n".repeat(86)}` } }), "ann")).status,
    ).toBe(204);
    expect(await ownerOf(endpoint)).toEqual({ userId: "ann", p256dh: `B${"n".repeat(86)}` });
  });

  it.each([
    "https://127.0.0.1:9443/push/x",
    "https://[::1]:4421/x",
    "https://169.254.169.254/x",
    "https://10.0.0.1/",
    "https://0x7f000001/",
    "https://u:p@fcm.googleapis.com/fcm/send/x",
  ])("refuses the endpoint %s and stores nothing", async (endpoint) => {
    await expect(subscribePush(t.db, post({ endpoint, keys }), "eve")).rejects.toBeInstanceOf(ValidationError);
    expect(await t.db.select().from(pushSubscription).where(eq(pushSubscription.userId, "eve"))).toEqual([]);
  });
});
