import { expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../core/errors";
import { MAX_USER_MATS, UserMatFormSchema } from "../../core/mats/user-mat";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { createUserMat, deleteUserMat, listUserMats } from "./user-mats";

describeEachDatabase("a person's own mats", (t) => {
  it("are listed and deleted by their owner only", async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
    const id = await createUserMat(
      t.db,
      "ann",
      UserMatFormSchema.parse({ name: "Blue mat", spikeCount: "6210", lengthMm: "740", widthMm: "400" }),
    );
    expect((await listUserMats(t.db, "ann")).map((m) => m.name)).toEqual(["Blue mat"]);
    expect(await listUserMats(t.db, "bob")).toEqual([]);
    await expect(deleteUserMat(t.db, "bob", id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteUserMat(t.db, "ann", "nonsense")).rejects.toBeInstanceOf(NotFoundError);
    expect(await listUserMats(t.db, "ann")).toHaveLength(1);
    await deleteUserMat(t.db, "ann", id);
    expect(await listUserMats(t.db, "ann")).toEqual([]);
  });

  it("refuses impossible sizes at the database too", async () => {
    await expect(
      createUserMat(t.db, "ann", { name: "Odd", spikeCount: 5, lengthMm: null, widthMm: null, note: null }),
    ).rejects.toThrow();
    await expect(
      createUserMat(t.db, "ann", { name: "Odd", spikeCount: null, lengthMm: 740, widthMm: null, note: null }),
    ).rejects.toThrow();
  });

  it(`keeps at most ${MAX_USER_MATS} mats per person, even when many are added at once`, async () => {
    await t.db.insert(user).values({ id: "cat", name: "Cat", email: "cat@example.com" });
    const mat = { name: "Mat", spikeCount: null, lengthMm: null, widthMm: null, note: null };
    const results = await Promise.allSettled(
      Array.from({ length: MAX_USER_MATS + 5 }, () => createUserMat(t.db, "cat", mat)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(MAX_USER_MATS);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r.reason).toBeInstanceOf(ValidationError);
    expect(await listUserMats(t.db, "cat")).toHaveLength(MAX_USER_MATS);
  });
});
