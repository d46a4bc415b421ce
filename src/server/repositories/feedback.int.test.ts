import { expect, it } from "vitest";
import { describeEachDatabase } from "../db/testing";
import { createFeedback, listFeedback } from "./feedback";

describeEachDatabase("feedback repository", (t) => {
  it("stores a report and lists it back", async () => {
    const { id } = await createFeedback(t.db, {
      path: "/guides/",
      kind: "unclear",
      message: "The table is hard to read.",
    });
    const rows = await listFeedback(t.db);
    expect(rows.map((r) => r.id)).toContain(id);
    expect(rows.find((r) => r.id === id)?.message).toBe("The table is hard to read.");
  });

  it("refuses a kind outside the list at the database too", async () => {
    await expect(createFeedback(t.db, { path: "/", kind: "spam" as "other", message: "hello" })).rejects.toThrow();
  });
});
