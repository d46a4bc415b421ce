import { expect, it } from "vitest";
import { NotFoundError } from "../../core/errors";
import type { SafetyCheckRecord } from "../../core/safety/schema";
import { describeEachDatabase } from "../db/testing";
import { user } from "../db/schema";
import {
  confirmProfessionalAgreement,
  deleteSafetyCheck,
  getLatestSafetyCheck,
  listSafetyChecks,
  requireSafetyCheck,
  saveSafetyCheck,
} from "./safety-checks";

const record = (date: string, level: SafetyCheckRecord["level"] = "fine"): SafetyCheckRecord => ({
  date,
  rulesVersion: "2026-11-25.1+abc",
  level,
  findingIds: level === "fine" ? [] : ["pregnancy"],
  areasOffMat: [],
  professionalAgreed: false,
});
const answers = { answers: { pregnancy: "no" }, areas: {} } as never;

describeEachDatabase("saved safety checks", (t) => {
  it("keeps each person's checks to themselves", async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
    const older = await saveSafetyCheck(t.db, "ann", record("2026-01-01T10:00:00Z"), answers);
    const newer = await saveSafetyCheck(t.db, "ann", record("2026-03-01T10:00:00Z", "see-professional"), answers);

    expect((await listSafetyChecks(t.db, "ann")).map((c) => c.id)).toEqual([newer, older]);
    expect((await getLatestSafetyCheck(t.db, "ann"))?.level).toBe("see-professional");
    expect(await listSafetyChecks(t.db, "bob")).toEqual([]);
    expect(await getLatestSafetyCheck(t.db, "bob")).toBeNull();

    // Bob cannot read, confirm or delete Ann's check: same answer as a missing one.
    await expect(requireSafetyCheck(t.db, "bob", newer)).rejects.toBeInstanceOf(NotFoundError);
    await expect(confirmProfessionalAgreement(t.db, "bob", newer, new Date())).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteSafetyCheck(t.db, "bob", newer)).rejects.toBeInstanceOf(NotFoundError);
    await expect(requireSafetyCheck(t.db, "ann", "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
    const still = await requireSafetyCheck(t.db, "ann", newer);
    expect(still.professionalAgreed).toBe(false);

    const confirmed = await confirmProfessionalAgreement(t.db, "ann", newer, new Date("2026-03-02T09:00:00Z"));
    expect(confirmed.professionalAgreedAt).toBe("2026-03-02T09:00:00.000Z");
    await deleteSafetyCheck(t.db, "ann", older);
    expect((await listSafetyChecks(t.db, "ann")).map((c) => c.id)).toEqual([newer]);
  });
});
