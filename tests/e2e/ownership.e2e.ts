/**
 * One person can never see or change another's data: every personal-data route, walked as
 * person B with person A's ids, answers 404 and changes nothing.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import data from "../../src/content/safety/safety-check.json";
import { postForm, signUpAs, startServer, type RunningServer } from "./support";

const unconditional = data.questions.filter((q) => !("askedIf" in q)).map((q) => q.id);
const allNo: [string, string][] = unconditional.map((id) => [id, "no"]);

describe("data ownership", () => {
  let server: RunningServer;
  let ann = "";
  let bob = "";
  beforeAll(async () => {
    server = await startServer();
    const tag = randomBytes(3).toString("hex");
    ann = await signUpAs(server.url, `ann${tag}@example.com`);
    bob = await signUpAs(server.url, `bob${tag}@example.com`);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const get = (path: string, cookie: string) =>
    fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });

  it("a saved safety check is visible, confirmable and deletable by its owner only", async () => {
    const saved = await postForm(
      server.url,
      "/account/safety-checks",
      [...allNo.filter(([id]) => id !== "pregnancy"), ["pregnancy", "yes"]],
      ann,
    );
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    const path = (saved.location ?? "").split("?")[0] ?? "";
    expect(path).toMatch(/^\/account\/safety-checks\/[0-9a-f-]{36}$/);

    expect((await get(path, ann)).status).toBe(200);
    expect((await get(path, bob)).status).toBe(404);
    expect((await postForm(server.url, path, { intent: "confirm" }, bob)).status).toBe(404);
    expect((await postForm(server.url, path, { intent: "delete" }, bob)).status).toBe(404);
    expect(await (await get("/account/export.json", bob)).text()).not.toContain(path.split("/").pop());

    // Nothing changed for Ann.
    const page = await (await get(path, ann)).text();
    expect(page).toContain("A professional agreed that I may use a mat");
    const exported = (await (await get("/account/export.json", ann)).json()) as {
      safetyChecks: { id: string; professionalAgreedAt: string | null }[];
    };
    expect(exported.safetyChecks).toHaveLength(1);
    expect(exported.safetyChecks[0]?.professionalAgreedAt).toBeNull();

    // Ann can confirm and delete it.
    expect((await postForm(server.url, path, { intent: "confirm" }, ann)).status).toBe(303);
    expect((await postForm(server.url, path, { intent: "delete" }, ann)).status).toBe(303);
    expect((await get(path, ann)).status).toBe(404);
  });

  it("a person's own mat is theirs alone: listed, compared and removed by them only", async () => {
    const bad = await postForm(
      server.url,
      "/mats/mine",
      { intent: "add", name: "X", spikeCount: "many", lengthMm: "740" },
      ann,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("whole number");
    const added = await postForm(
      server.url,
      "/mats/mine",
      { intent: "add", name: "Ann's blue mat", spikeCount: "6210", lengthMm: "740", widthMm: "400" },
      ann,
    );
    expect(added.status).toBe(303);
    const id = /added=([0-9a-f-]{36})/.exec(added.location ?? "")?.[1] ?? "";
    expect(id).not.toBe("");

    const compare = `/mats?mat=shakti-original&mat=mine-${id}&mass=70&position=lying`;
    const annPage = await get(compare, ann);
    expect(annPage.status).toBe(200);
    expect(await annPage.text()).toContain("Ann&#39;s blue mat");
    const bobPage = await get(compare, bob);
    expect(bobPage.status).toBe(400);
    expect(await bobPage.text()).not.toContain("blue mat");
    expect(await (await get("/sessions/new", ann)).text()).toContain(`mine-${id}`);
    expect(await (await get("/sessions/new", bob)).text()).not.toContain(`mine-${id}`);

    expect((await postForm(server.url, "/mats/mine", { intent: "delete", id }, bob)).status).toBe(404);
    expect(await (await get("/mats/mine", ann)).text()).toContain("Ann&#39;s blue mat");
    const exported = (await (await get("/account/export.json", ann)).json()) as { mats: { id: string }[] };
    expect(exported.mats.map((m) => m.id)).toEqual([id]);
    expect((await postForm(server.url, "/mats/mine", { intent: "delete", id }, ann)).status).toBe(303);
    expect(await (await get("/mats/mine", ann)).text()).not.toContain("Ann&#39;s blue mat");
  });

  it("refuses an incomplete check to save, storing nothing", async () => {
    const bad = await postForm(server.url, "/account/safety-checks", [["pregnancy", "maybe"]], ann);
    expect(bad.status).toBe(400);
    const exported = (await (await get("/account/export.json", ann)).json()) as { safetyChecks: unknown[] };
    expect(exported.safetyChecks).toHaveLength(0);
  });
  it("a plan and the sessions saved from a browser belong to their owner only", async () => {
    // Its own two people, so the other tests' counts stay as they are.
    const tag = randomBytes(3).toString("hex");
    const ann = await signUpAs(server.url, `ann2${tag}@example.com`);
    const bob = await signUpAs(server.url, `bob2${tag}@example.com`);
    expect((await postForm(server.url, "/account/safety-checks", allNo, ann)).status).toBe(303);
    const today = new Date().toISOString().slice(0, 10); // both accounts are on UTC
    const plan = { intent: "keep", skin: "average", tolerance: "average", area: "back", level: "fine", start: today };
    expect((await postForm(server.url, "/plan", plan, ann)).location).toBe("/today?plan=saved");
    const annToday = await get("/today", ann);
    expect(annToday.headers.get("cache-control")).toBe("private, no-store");
    expect(await annToday.text()).toContain("of 21");

    // Bob sees none of it, and his "forget my plan" changes nothing of Ann's.
    const bobToday = await (await get("/today", bob)).text();
    expect(bobToday).toContain("Start in three steps");
    expect(bobToday).not.toContain("of 21");
    expect((await postForm(server.url, "/plan", { intent: "forget" }, bob)).status).toBe(303);
    expect(await (await get("/today", ann)).text()).toContain("of 21");
    const annExport = (await (await get("/account/export.json", ann)).json()) as { plans: { start: string }[] };
    expect(annExport.plans.map((p) => p.start)).toEqual([today]);
    expect(((await (await get("/account/export.json", bob)).json()) as { plans: unknown[] }).plans).toEqual([]);

    // Sessions kept in a browser go to the account of whoever is signed in, validated like any session.
    const kept = [
      {
        id: "k1",
        startedAt: "2026-11-20T08:00:00.000Z",
        minutes: "5",
        seconds: "0",
        position: "lying",
        area: "back",
        layer: "clothing",
        matId: "",
        note: "",
        discomfort: "3",
      },
    ];
    const broken = { ...kept[0], id: "k2", discomfort: "12" };
    const saved = await postForm(server.url, "/sessions/import", { sessions: JSON.stringify([...kept, broken]) }, bob);
    expect(saved.location).toBe("/today?kept-saved=k1&kept-refused=1&kept-why=invalid");
    expect(((await (await get("/account/export.json", bob)).json()) as { sessions: unknown[] }).sessions).toHaveLength(
      1,
    );
    expect(((await (await get("/account/export.json", ann)).json()) as { sessions: unknown[] }).sessions).toHaveLength(
      0,
    );
    const bad = await postForm(server.url, "/sessions/import", { sessions: "not a list" }, bob);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("could not be read");
    expect((await postForm(server.url, "/sessions/import", { sessions: JSON.stringify(kept) })).location).toMatch(
      /^\/account\/sign-in/,
    );
  });

  it("reminders, push devices and the calendar feed belong to their owner only", async () => {
    const tag = randomBytes(3).toString("hex");
    const ann = await signUpAs(server.url, `ann3${tag}@example.com`);
    const bob = await signUpAs(server.url, `bob3${tag}@example.com`);
    const device = {
      endpoint: `https://fcm.googleapis.com/fcm/send/${tag}`,
      keys: { p256dh: `B${"k".repeat(86)}`, auth: "a".repeat(22) },
    };
    const subscribed = await fetch(`${server.url}/account/reminders/push`, {
      method: "POST",
      headers: { cookie: ann, origin: server.url, "content-type": "application/json" },
      body: JSON.stringify(device),
    });
    expect(subscribed.status).toBe(204);
    const annPage = await get("/account/reminders", ann);
    expect(annPage.headers.get("cache-control")).toBe("private, no-store");
    const id = /name="id" value="([0-9a-f-]{36})"/.exec(await annPage.text())?.[1] ?? "";
    expect(id).not.toBe("");
    expect(await (await get("/account/reminders", bob)).text()).not.toContain(id);

    // Bob cannot take Ann's device over by posting its endpoint (issue 25): 409, and it stays hers.
    const taken = await fetch(`${server.url}/account/reminders/push`, {
      method: "POST",
      headers: { cookie: bob, origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ ...device, keys: { ...device.keys, p256dh: `B${"b".repeat(86)}` } }),
    });
    expect(taken.status).toBe(409);
    expect(await (await get("/account/reminders", ann)).text()).toContain(id);
    // Bob cannot remove Ann's device, and his export holds none of her reminders or devices.
    expect((await postForm(server.url, "/account/reminders", { intent: "remove-device", id }, bob)).status).toBe(404);
    expect(await (await get("/account/export.json", bob)).text()).not.toContain(device.endpoint);
    expect(await (await get("/account/export.json", ann)).text()).toContain(device.endpoint);

    // Ann's reminder choices are hers alone.
    const saved = await postForm(
      server.url,
      "/account/reminders",
      [
        ["intent", "save"],
        ["session-time", "07:00"],
        ["session-channel", "push"],
        ["evening-time", "21:00"],
        ["morning-time", "08:00"],
      ],
      ann,
    );
    expect(saved.status).toBe(303);
    const bobExport = (await (await get("/account/export.json", bob)).json()) as { reminders: unknown[] };
    expect(bobExport.reminders).toEqual([]);

    // A feed address opens its owner's calendar only; the reminders page shows it once and never again.
    const made = await postForm(server.url, "/account/reminders", { intent: "feed-new" }, ann);
    expect(made.status).toBe(200);
    const feed = /\/calendar\/[A-Za-z0-9_-]{43}\.ics/.exec(made.text)?.[0] ?? "";
    expect(feed).not.toBe("");
    expect(await (await get("/account/reminders", ann)).text()).not.toContain(feed);
    const asBob = await get(feed, bob);
    expect(asBob.status).toBe(200); // the address is the key, whoever holds it
    expect((await postForm(server.url, "/account/reminders", { intent: "feed-stop" }, bob)).status).toBe(303);
    expect((await get(feed, "")).status).toBe(200); // Bob stopping his (none) leaves Ann's alone
    expect((await postForm(server.url, "/account/reminders", { intent: "remove-device", id }, ann)).status).toBe(303);
  });

  it("imported sleep and the FHIR export belong to their owner only", async () => {
    const form = new FormData();
    form.append("file", new File(["date,total sleep minutes\n2026-11-01,420\n"], "sleep.csv"));
    const imported = await fetch(`${server.url}/account/import`, {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { origin: server.url, cookie: ann },
    });
    expect(imported.status).toBe(303);
    expect(await (await get("/account/import", ann)).text()).toContain("1 night,");
    expect(await (await get("/account/import", bob)).text()).toContain("Nothing yet.");
    expect(JSON.stringify(await (await get("/account/export.fhir.json", bob)).json())).not.toContain("420");
    expect(JSON.stringify(await (await get("/account/export.fhir.json", ann)).json())).toContain('"value":420');
    // Bob deleting that source deletes nothing of Ann's.
    expect((await postForm(server.url, "/account/import", { intent: "delete", source: "csv" }, bob)).location).toBe(
      "/account/import?deleted=0&source=csv",
    );
    expect(await (await get("/account/import", ann)).text()).toContain("1 night,");
    expect((await get("/account/export.fhir.json", "")).status).toBe(401);
    expect((await get("/account/import", "")).status).toBe(303);
  });
});
