import { describe, expect, it } from "vitest";
import { validateFhirR4 } from "../../../tests/support/fhir-r4-schema";
import { buildFhirBundle, PAIN_LOINC, uuidFrom, type FhirInput } from "./bundle";

const INPUT: FhirInput = {
  person: { id: "userAbc123" },
  exportedAt: "2026-11-30T08:00:00.000Z",
  sessions: [
    {
      id: "7d1c6d7e-2c1b-4d7e-9a53-0c2b1f0d9a11",
      startedAt: "2026-11-01T19:00:00.000Z",
      durationSeconds: 1200,
      position: "lying",
      area: "back",
      layer: "clothing",
      note: "After work",
      discomfort: 3,
      painBefore: 6,
      painAfter: 4,
      tensionBefore: 7,
      tensionAfter: null,
      stressBefore: null,
      stressAfter: null,
      relaxationBefore: null,
      relaxationAfter: 8,
    },
  ],
  safetyChecks: [
    {
      id: "0b3f3c1e-8d9a-4f6e-b2c4-5a6d7e8f9a0b",
      date: "2026-10-30T10:00:00.000Z",
      rulesVersion: "1.0+abc",
      level: "keep-area-off",
      areasOffMat: ["neck"],
      answers: { answers: { pregnant: "no", "broken-skin": "yes" }, areas: { "broken-skin": ["neck"] } },
    },
  ],
  experiments: [
    {
      id: "5e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
      protocol: { primaryOutcome: "pain", startsOn: "2026-11-02", endsOn: "2026-11-29" },
      protocolCanonical: '{"primaryOutcome":"pain"}',
      protocolHash: "a".repeat(64),
      frozenAt: "2026-11-01T12:00:00.000Z",
      source: "matwise",
      state: "running",
      endedAt: null,
      endReason: null,
    },
  ],
  experimentDays: [
    {
      experimentId: "5e0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",
      date: "2026-11-02",
      condition: "A",
      pain: 4.5,
      tension: 3,
      stress: null,
      sleepQuality: 7,
      sleepLatency: 15,
      wakings: 2,
    },
  ],
  sleep: [
    {
      night: "2026-11-02",
      source: "oura",
      bedtime: "2026-11-02T22:10:00.000Z",
      sleepOnset: "2026-11-02T22:25:00.000Z",
      wakeTime: "2026-11-03T06:30:00.000Z",
      totalSleepMinutes: 441,
      sleepLatencyMinutes: 15,
    },
    {
      night: "2026-11-03",
      source: "csv",
      bedtime: null,
      sleepOnset: null,
      wakeTime: null,
      totalSleepMinutes: 400,
      sleepLatencyMinutes: null,
    },
  ],
};

type AnyResource = {
  resourceType: string;
  code?: { coding?: { system?: string; code?: string; display?: string }[]; text?: string };
};
const resources = (b: ReturnType<typeof buildFhirBundle>) =>
  (b.entry ?? []).map((e) => e.resource as unknown as AnyResource);

describe("buildFhirBundle", () => {
  it("is a valid FHIR R4 collection by the official JSON schema", () => {
    const bundle = buildFhirBundle(INPUT);
    expect(bundle.type).toBe("collection");
    expect(validateFhirR4(bundle)).toEqual([]);
  });

  it("holds one resource of each kind the records call for", () => {
    const types = resources(buildFhirBundle(INPUT)).map((r) => r.resourceType);
    const count = (t: string) => types.filter((x) => x === t).length;
    expect(count("Patient")).toBe(1);
    expect(count("Procedure")).toBe(1);
    expect(count("ResearchStudy")).toBe(1);
    expect(count("ResearchSubject")).toBe(1);
    expect(count("QuestionnaireResponse")).toBe(1);
    // Session: 5 ratings given; safety: 1 result; day: 5 values; sleep: 2 totals and 1 latency.
    expect(count("Observation")).toBe(5 + 1 + 5 + 3);
  });

  it("codes pain with LOINC 72514-3 and everything else with matwise codes and words", () => {
    const observations = resources(buildFhirBundle(INPUT)).filter((r) => r.resourceType === "Observation");
    const loinc = observations.filter((o) => o.code?.coding?.some((c) => c.system === "http://loinc.org"));
    expect(loinc).toHaveLength(3);
    for (const o of loinc) expect(o.code?.coding).toEqual([PAIN_LOINC]);
    for (const o of observations) expect(o.code?.text?.length).toBeGreaterThan(10);
  });

  it("leaves the name out unless it is asked for", () => {
    const patient = (b: ReturnType<typeof buildFhirBundle>) =>
      b.entry?.find((e) => e.resource?.resourceType === "Patient")?.resource as { name?: unknown };
    expect(patient(buildFhirBundle(INPUT)).name).toBeUndefined();
    const named = buildFhirBundle({ ...INPUT, person: { id: "userAbc123", name: "Ann" } });
    expect(patient(named).name).toEqual([{ text: "Ann" }]);
    expect(validateFhirR4(named)).toEqual([]);
  });

  it("gives the same bundle for the same records, with stable UUIDs", () => {
    expect(buildFhirBundle(INPUT)).toEqual(buildFhirBundle(INPUT));
    expect(uuidFrom("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is refused by the schema when a resource is wrong (the check bites)", () => {
    const bundle = buildFhirBundle(INPUT);
    const broken = {
      ...bundle,
      entry: [
        ...(bundle.entry ?? []),
        { fullUrl: "urn:uuid:x", resource: { resourceType: "Observation", status: "done", code: { text: "x" } } },
      ],
    };
    expect(validateFhirR4(broken).join("\n")).toMatch(/status|enum|Observation/);
  });
});
