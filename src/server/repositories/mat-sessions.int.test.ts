import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { NotFoundError } from "../../core/errors";
import type { SessionInput } from "../../core/sessions/schema";
import { describeEachDatabase } from "../db/testing";
import { user } from "../db/schema";
import {
  createMatSession,
  createMatSessions,
  deleteMatSession,
  listMatSessions,
  requireMatSession,
  updateMatSession,
} from "./mat-sessions";

const input: SessionInput = {
  startedAt: "2026-12-01T08:00:00.000Z",
  durationSeconds: 600,
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: "spoonk",
  note: null,
  discomfort: 6,
  painBefore: 4,
  painAfter: 3,
  tensionBefore: 7,
  tensionAfter: 5,
  stressBefore: 6,
  stressAfter: 4,
  relaxationBefore: 3,
  relaxationAfter: 6,
};

describeEachDatabase("mat sessions, scoped to their owner", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
  });

  it("creates, lists newest first, reads, updates and deletes the owner's sessions", async () => {
    const first = await createMatSession(t.db, "ann", input);
    const second = await createMatSession(t.db, "ann", {
      ...input,
      startedAt: "2026-12-02T08:00:00.000Z",
      discomfort: 4,
      note: "easier today",
    });
    expect((await listMatSessions(t.db, "ann")).map((s) => s.id)).toEqual([second, first]);
    expect(await requireMatSession(t.db, "ann", second)).toMatchObject({
      discomfort: 4,
      note: "easier today",
      area: "back",
      matId: "spoonk",
    });

    const updated = await updateMatSession(t.db, "ann", first, { ...input, discomfort: 2, matId: null });
    expect(updated).toMatchObject({ id: first, discomfort: 2, matId: null });
    await deleteMatSession(t.db, "ann", second);
    expect((await listMatSessions(t.db, "ann")).map((s) => s.id)).toEqual([first]);
  });

  it.each([
    ["read", (id: string) => requireMatSession(t.db, "bob", id)],
    ["update", (id: string) => updateMatSession(t.db, "bob", id, { ...input, discomfort: 0 })],
    ["delete", (id: string) => deleteMatSession(t.db, "bob", id)],
  ])("someone else's session cannot be %s, and nothing changes", async (_what, act) => {
    const id = await createMatSession(t.db, "ann", input);
    await expect(act(id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await requireMatSession(t.db, "ann", id)).toMatchObject({ discomfort: 6 });
    expect(await listMatSessions(t.db, "bob")).toEqual([]);
  });

  it.each([["not-a-uuid"], ["00000000-0000-4000-8000-000000000000"]])("an unknown id %s is not found", async (id) => {
    await expect(requireMatSession(t.db, "ann", id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteMatSession(t.db, "ann", id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ["discomfort", 11],
    ["painAfter", -1],
    ["durationSeconds", 0],
  ] as const)("the database itself refuses %s = %i", async (field, value) => {
    await expect(createMatSession(t.db, "ann", { ...input, [field]: value })).rejects.toThrow();
  });

  it("keeps a session rated for discomfort alone, the skipped ratings as null", async () => {
    const skipped = {
      painBefore: null,
      painAfter: null,
      tensionBefore: null,
      tensionAfter: null,
      stressBefore: null,
      stressAfter: null,
      relaxationBefore: null,
      relaxationAfter: null,
    };
    const id = await createMatSession(t.db, "ann", { ...input, ...skipped, discomfort: 3 });
    expect(await requireMatSession(t.db, "ann", id)).toMatchObject({ discomfort: 3, ...skipped });
    await expect(createMatSession(t.db, "ann", { ...input, discomfort: null as unknown as number })).rejects.toThrow(); // discomfort stays required
    await deleteMatSession(t.db, "ann", id);
  });

  it("goes when its owner goes (on delete cascade)", async () => {
    await t.db.insert(user).values({ id: "cy", name: "Cy", email: "cy@example.com" });
    await createMatSession(t.db, "cy", input);
    await t.db.execute(sql`delete from "user" where id = 'cy'`);
    expect(await listMatSessions(t.db, "cy")).toEqual([]);
  });

  it("stores a session sent again under the same client key once, even when the copies arrive together", async () => {
    await t.db.insert(user).values({ id: "dee", name: "Dee", email: "dee@example.com" });
    const key = "4f1c2a9e-7b1d-4c55-9e0a-2d6f3b8c1a77";
    const first = await createMatSession(t.db, "dee", input, key);
    expect(await createMatSession(t.db, "dee", { ...input, discomfort: 1 }, key)).toBe(first);
    const together = await Promise.all(
      Array.from({ length: 6 }, () => createMatSession(t.db, "dee", input, "0b9e6c1d-2f3a-4b5c-8d7e-6f5a4b3c2d1e")),
    );
    expect(new Set(together).size).toBe(1);
    const rows = await listMatSessions(t.db, "dee");
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === first)?.discomfort).toBe(6); // the repeat changed nothing
    // Sessions without a key are never taken for one another.
    await createMatSession(t.db, "dee", input);
    await createMatSession(t.db, "dee", input);
    expect(await listMatSessions(t.db, "dee")).toHaveLength(4);
  });

  it("keeps client keys per person: another person's key is theirs alone", async () => {
    await t.db.insert(user).values({ id: "eve", name: "Eve", email: "eve@example.com" });
    const key = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    const ann = await createMatSession(t.db, "ann", input, key);
    const eve = await createMatSession(t.db, "eve", input, key);
    expect(eve).not.toBe(ann);
    expect((await listMatSessions(t.db, "eve")).map((s) => s.id)).toEqual([eve]);
    await deleteMatSession(t.db, "ann", ann);
  });

  it("leaves out of a batch the sessions whose client key is already saved", async () => {
    await t.db.insert(user).values({ id: "fay", name: "Fay", email: "fay@example.com" });
    await createMatSession(t.db, "fay", input, "k1");
    const stored = await createMatSessions(t.db, "fay", [
      { ...input, clientKey: "k1" },
      { ...input, clientKey: "k2" },
      { ...input, clientKey: "k2" },
    ]);
    expect(stored).toHaveLength(1);
    expect(await listMatSessions(t.db, "fay")).toHaveLength(2);
  });

  it("refuses a client key of another shape", async () => {
    await expect(
      t.db.execute(
        sql`insert into mat_session (user_id, started_at, duration_seconds, position, body_area, layer, discomfort, client_key) values ('ann', now(), 60, 'lying', 'back', 'clothing', 3, 'Not A Key')`,
      ),
    ).rejects.toThrow();
  });
});
