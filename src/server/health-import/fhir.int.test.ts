/**
 * The FHIR export of a person with sessions, safety checks, an experiment with check-ins and
 * imported sleep, through the loader the page uses, on every engine: the bundle validates
 * against the official FHIR R4 JSON schema and holds nobody else's records.
 */
import { beforeAll, expect, it } from "vitest";
import { validateFhirR4 } from "../../../tests/support/fhir-r4-schema";
import { freezeProtocol } from "../../core/experiments/protocol";
import { createSchedule } from "../../core/experiments/schedule";
import { user } from "../db/schema";
import { describeEachDatabase } from "../db/testing";
import { createExperiment, listExperiments, recordCheckIn } from "../repositories/experiments";
import { createMatSession } from "../repositories/mat-sessions";
import { saveSafetyCheck } from "../repositories/safety-checks";
import { saveSleepNights } from "../repositories/sleep-records";
import { loadFhirExport } from "./data";

const session = {
  startedAt: "2026-12-01T08:00:00.000Z",
  durationSeconds: 900,
  position: "lying",
  area: "back",
  layer: "clothing",
  matId: null,
  note: "through a shirt",
  discomfort: 5,
  painBefore: 6,
  painAfter: 4,
  tensionBefore: 7,
  tensionAfter: 5,
  stressBefore: null,
  stressAfter: null,
  relaxationBefore: 3,
  relaxationAfter: 6,
} as const;

const protocol = {
  version: 1,
  primaryOutcome: "pain",
  mcid: 1,
  comparator: "rest-without-mat",
  sessionMinutes: 15,
  sessionTime: "21:00",
  position: "lying",
  area: "back",
  periodDays: 1,
  pairs: 6,
  washout: false,
  startsOn: "2026-12-01",
  timeZone: "UTC",
  expectation: 2,
} as const;

describeEachDatabase("the FHIR R4 export", (t) => {
  beforeAll(async () => {
    await t.db.insert(user).values([
      { id: "ann", name: "Ann Example", email: "ann@example.com" },
      { id: "bob", name: "Bob", email: "bob@example.com" },
    ]);
    await createMatSession(t.db, "ann", session);
    await createMatSession(t.db, "bob", { ...session, note: "bob's own note" });
    await saveSafetyCheck(
      t.db,
      "ann",
      {
        date: "2026-11-30T10:00:00.000Z",
        rulesVersion: "v1",
        level: "keep-area-off",
        findingIds: ["broken-skin"],
        areasOffMat: ["neck-shoulders"],
        professionalAgreed: false,
      },
      { answers: { "broken-skin": "yes", pregnant: "no" }, areas: { "broken-skin": ["neck-shoulders"] } },
    );
    await createExperiment(t.db, "ann", {
      frozen: freezeProtocol(protocol),
      frozenAt: new Date("2026-11-30T12:00:00Z"),
      scheduleSeed: 5,
      analysisSeed: 6,
      source: "matwise",
      schedule: createSchedule(protocol, 5),
    });
    const [x] = await listExperiments(t.db, "ann");
    const now = new Date("2026-12-01T21:30:00Z");
    await recordCheckIn(
      t.db,
      "ann",
      x!.id,
      "2026-12-01",
      { adherence: "as-assigned", pain: 3, tension: 4, stress: 2, harms: null },
      { now, localDate: "2026-12-01", morning: false },
    );
    await recordCheckIn(
      t.db,
      "ann",
      x!.id,
      "2026-12-01",
      { sleepQuality: 7, sleepLatency: 20, wakings: 1 },
      { now: new Date("2026-12-02T07:00:00Z"), localDate: "2026-12-02", morning: true },
    );
    await saveSleepNights(
      t.db,
      "ann",
      [
        {
          night: "2026-12-01",
          source: "apple-health",
          bedtime: "2026-12-01T22:00:00.000Z",
          sleepOnset: "2026-12-01T22:20:00.000Z",
          wakeTime: "2026-12-02T06:40:00.000Z",
          totalSleepMinutes: 470,
          sleepLatencyMinutes: 20,
        },
      ],
      "export.zip",
    );
  });

  it("validates against the official FHIR R4 JSON schema and holds each kind of record", async () => {
    const out = await loadFhirExport(t.db, "ann", { withName: false, now: new Date("2026-12-02T08:00:00Z") });
    expect(out).not.toBeNull();
    const bundle = out!.bundle;
    expect(validateFhirR4(bundle)).toEqual([]);
    const types = (bundle.entry ?? []).map((e) => e.resource!.resourceType);
    for (const type of [
      "Patient",
      "Procedure",
      "Observation",
      "QuestionnaireResponse",
      "ResearchStudy",
      "ResearchSubject",
    ])
      expect(types, type).toContain(type);
    const text = JSON.stringify(bundle);
    expect(text).toContain("72514-3");
    expect(text).not.toContain("Ann Example");
    expect(text).not.toContain("bob's own note");
    expect(text).not.toContain("ann@example.com");
  });

  it("puts the name in only when asked, and is still valid", async () => {
    const out = await loadFhirExport(t.db, "ann", { withName: true });
    expect(JSON.stringify(out!.bundle)).toContain("Ann Example");
    expect(validateFhirR4(out!.bundle)).toEqual([]);
  });

  it("is null for an account that is gone", async () => {
    expect(await loadFhirExport(t.db, "nobody", { withName: false })).toBeNull();
  });
});
