/**
 * The session log's POST intents on the real database: a good form is saved and answered with a
 * redirect; a refused one comes back with a message per field and stores nothing.
 */
import { beforeAll, expect, it } from "vitest";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { isFormFailure, type FormCtx } from "../forms";
import { countMatSessions, listMatSessions } from "../repositories/mat-sessions";
import { changeSession, logSession } from "./actions";

/** The catalogue's mats, as the page passes them in. */
const CATALOGUE = [{ id: "spoonk", name: "Spoonk" }];

const NOW = new Date("2026-01-12T12:00:00Z");
const owner = { id: "ann", timeZone: "Europe/Berlin" };

function post(path: string, fields: Record<string, string>): FormCtx {
  const request = new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });
  return {
    request,
    url: new URL(request.url),
    redirect: (to: string, status?: number) => new Response(null, { status: status ?? 302, headers: { location: to } }),
  };
}

const good = {
  startedAt: "2026-01-10T08:00",
  minutes: "10",
  seconds: "0",
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: "",
  note: "",
  discomfort: "5",
};

describeEachDatabase("session actions", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values({ id: "ann", name: "Ann", email: "ann@example.com", timeZone: "Europe/Berlin" });
  });

  it("logs a session and answers with a redirect to it", async () => {
    const result = await logSession(t.db, post("/sessions/new", good), owner, CATALOGUE, NOW);
    if (isFormFailure(result)) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
    expect(result.status).toBe(303);
    const [saved] = await listMatSessions(t.db, "ann");
    expect(result.headers.get("location")).toBe(`/sessions?saved=${saved!.id}#session-${saved!.id}`);
    expect(saved).toMatchObject({
      durationSeconds: 600,
      position: "lying",
      area: "back",
      startedAt: "2026-01-10T07:00:00.000Z",
    });
  });

  it("refuses a session without a discomfort rating, says why, and stores nothing", async () => {
    const before = await countMatSessions(t.db, "ann");
    const result = await logSession(t.db, post("/sessions/new", { ...good, discomfort: "" }), owner, CATALOGUE, NOW);
    if (!isFormFailure(result)) throw new Error(`expected a refusal, got ${result.status}`);
    expect(result.status).toBe(400);
    expect(result.errors["discomfort"]?.join(" ")).toMatch(/\S/);
    expect(result.values["minutes"]).toBe("10");
    expect(await countMatSessions(t.db, "ann")).toBe(before);
  });

  it("refuses a change that starts in the future and keeps the session as it was", async () => {
    const [saved] = await listMatSessions(t.db, "ann");
    const result = await changeSession(
      t.db,
      post(`/sessions/${saved!.id}`, { ...good, startedAt: "2026-02-01T08:00" }),
      owner,
      saved!.id,
      CATALOGUE,
      NOW,
    );
    if (!isFormFailure(result)) throw new Error(`expected a refusal, got ${result.status}`);
    expect(result.errors["startedAt"]?.join(" ")).toMatch(/\S/);
    expect((await listMatSessions(t.db, "ann"))[0]).toEqual(saved);
  });
});
