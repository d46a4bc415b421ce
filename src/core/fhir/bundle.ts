/**
 * A person's records as a FHIR R4 Bundle of type `collection`, for a health record or a
 * clinician: a minimal Patient, each mat session as a Procedure (its period is its duration),
 * each rating as an Observation, the sleep diary and imported sleep as Observations, each
 * experiment as a ResearchStudy (its frozen protocol and hash) with a ResearchSubject, and each
 * safety check as a QuestionnaireResponse with an Observation of its result.
 *
 * Pain on 0–10 is LOINC 72514-3; every other measure has a matwise code (MATWISE_CODES) and a
 * `code.text` in words, because no LOINC code means exactly "muscle tension 0–10" or "sleep
 * quality 0–10 as this diary asks it". Ids are UUIDs derived from the stored ids, so the same
 * data gives the same bundle.
 * @see https://hl7.org/fhir/R4/bundle.html
 * @module
 */
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Observation,
  Patient,
  Procedure,
  QuestionnaireResponse,
  Quantity,
  Reference,
  ResearchStudy,
  ResearchSubject,
  Resource,
} from "@medplum/fhirtypes";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { LEVEL_TEXT } from "../safety/labels";
import type { SafetyLevel } from "../safety/schema";
import { SLEEP_SOURCE_TEXT, type SleepNight } from "../health-import/night";
import type { DayValues } from "../experiments/protocol";

/** The code systems matwise defines. Identifiers, not addresses: they need not resolve. */
export const MATWISE_FHIR = "https://matwise.example/fhir";
export const MATWISE_CODES = `${MATWISE_FHIR}/CodeSystem/measures`;
export const MATWISE_SAFETY_LEVELS = `${MATWISE_FHIR}/CodeSystem/safety-levels`;
export const MATWISE_SAFETY_QUESTIONNAIRE = `${MATWISE_FHIR}/Questionnaire/safety-check`;
export const MATWISE_PROTOCOL_HASH = `${MATWISE_FHIR}/NamingSystem/protocol-sha256`;

const LOINC = "http://loinc.org";
const UCUM = "http://unitsofmeasure.org";
const OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

/** The one LOINC code used: it fits the pain ratings exactly (a 0–10 numeric rating, reported by the person). */
export const PAIN_LOINC = {
  system: LOINC,
  code: "72514-3",
  display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
} as const;

/** matwise's own measures: code, display, and the words for `code.text`. */
export const MEASURES = {
  "muscle-tension": {
    display: "Muscle tension, 0-10",
    text: "Muscle tension rated by the person, 0 (fully loose) to 10 (as tight as it gets)",
  },
  stress: { display: "Stress, 0-10", text: "Stress rated by the person, 0 (not stressed) to 10 (extremely stressed)" },
  relaxation: {
    display: "Relaxation, 0-10",
    text: "Relaxation rated by the person, 0 (not relaxed) to 10 (completely relaxed)",
  },
  "mat-discomfort": {
    display: "Discomfort on the mat, 0-10",
    text: "Discomfort on the acupressure mat rated by the person, 0 (none) to 10 (as bad as can be imagined)",
  },
  "sleep-quality": {
    display: "Sleep quality, 0-10",
    text: "Quality of the night's sleep rated by the person the next morning, 0 (very badly) to 10 (very well)",
  },
  "reported-sleep-latency": {
    display: "Reported minutes to fall asleep",
    text: "Minutes to fall asleep, estimated by the person the next morning (sleep diary)",
  },
  "reported-night-wakings": {
    display: "Reported night wakings",
    text: "Number of times the person woke in the night, reported the next morning (sleep diary)",
  },
  "measured-total-sleep": {
    display: "Measured total sleep time",
    text: "Minutes asleep in the night's main sleep, measured by a device or app and imported",
  },
  "measured-sleep-latency": {
    display: "Measured sleep onset latency",
    text: "Minutes from getting into bed to falling asleep, measured by a device or app and imported",
  },
  "mat-session": { display: "Session on an acupressure mat", text: "Session on an acupressure mat (self-care)" },
  "safety-check-result": {
    display: "Result of the matwise safety check",
    text: "Result of the matwise safety check before using an acupressure mat",
  },
} as const;
export type MeasureCode = keyof typeof MEASURES;

// ---------------------------------------------------------------------------------------
// What the builder reads: the export's records (structural subsets of the repositories' mappers).

export interface FhirSession {
  id: string;
  startedAt: string;
  durationSeconds: number;
  position: string;
  area: string;
  layer: string;
  note: string | null;
  discomfort: number;
  painBefore: number | null;
  painAfter: number | null;
  tensionBefore: number | null;
  tensionAfter: number | null;
  stressBefore: number | null;
  stressAfter: number | null;
  relaxationBefore: number | null;
  relaxationAfter: number | null;
}

export interface FhirSafetyCheck {
  id: string;
  date: string;
  rulesVersion: string;
  level: SafetyLevel;
  areasOffMat: readonly string[];
  answers: { answers: Readonly<Record<string, string>>; areas?: Readonly<Record<string, readonly string[]>> };
}

export interface FhirExperiment {
  id: string;
  protocol: { primaryOutcome: string; startsOn?: string; endsOn?: string };
  protocolCanonical: string;
  protocolHash: string;
  frozenAt: string;
  source: string;
  state: string;
  endedAt: string | null;
  endReason: string | null;
}

export interface FhirExperimentDay extends DayValues {
  experimentId: string;
  date: string;
  condition: "A" | "B" | null;
}

export interface FhirInput {
  person: { id: string; name?: string | undefined };
  /** When the bundle was made (ISO 8601). */
  exportedAt: string;
  sessions: readonly FhirSession[];
  safetyChecks: readonly FhirSafetyCheck[];
  experiments: readonly FhirExperiment[];
  experimentDays: readonly FhirExperimentDay[];
  sleep: readonly SleepNight[];
}

// ---------------------------------------------------------------------------------------

/** A UUID (version 8, RFC 9562) made from `name`: the same name always gives the same id. */
export function uuidFrom(name: string): string {
  const h = bytesToHex(sha256(utf8ToBytes(`matwise-fhir:${name}`)));
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const matwiseCode = (code: MeasureCode): CodeableConcept => ({
  coding: [{ system: MATWISE_CODES, code, display: MEASURES[code].display }],
  text: MEASURES[code].text,
});
const PAIN_CODE: CodeableConcept = {
  coding: [{ ...PAIN_LOINC }],
  text: "Pain rated by the person, 0 (no pain) to 10 (worst pain imaginable)",
};
const score = (value: number): Quantity => ({ value, unit: "{score}", system: UCUM, code: "{score}" });
const minutes = (value: number): Quantity => ({ value, unit: "min", system: UCUM, code: "min" });
const category = (code: "survey" | "activity"): CodeableConcept[] => [
  { coding: [{ system: OBSERVATION_CATEGORY, code, display: code === "survey" ? "Survey" : "Activity" }] },
];

interface Entry<R extends Resource = Resource> {
  id: string;
  resource: R;
}

/** A reference to a resource of the bundle, by its `urn:uuid:` full URL. */
const ref = <R extends Resource>(e: Entry<R>): Reference<R> => ({ reference: `urn:uuid:${e.id}` });

/** What the parts of the bundle share: adding an entry, adding an observation of the person, the person. */
interface BundleBuilder {
  add: <R extends Resource>(name: string, resource: R) => Entry<R>;
  observation: (
    name: string,
    code: CodeableConcept,
    cat: "survey" | "activity",
    fields: Partial<Observation>,
  ) => Entry<Observation>;
  subject: Reference<Patient>;
}

/** Each mat session: a Procedure, with its ratings as Observations that are part of it. */
function addSessions(b: BundleBuilder, sessions: FhirInput["sessions"]): void {
  const { add, observation, subject } = b;
  for (const s of sessions) {
    const end = new Date(Date.parse(s.startedAt) + s.durationSeconds * 1000).toISOString();
    const procedure = add<Procedure>(`session/${s.id}`, {
      resourceType: "Procedure",
      status: "completed",
      code: matwiseCode("mat-session"),
      subject,
      performedPeriod: { start: s.startedAt, end },
      bodySite: [{ text: s.area }],
      note: [
        {
          text: `${Math.round(s.durationSeconds / 60)} minutes on the mat; position: ${s.position}; ${s.layer}.${s.note ? ` ${s.note}` : ""}`,
        },
      ],
    });
    const rating = (key: string, code: CodeableConcept, value: number | null, when: "before" | "after" | "during") => {
      if (value === null) return;
      observation(`session/${s.id}/${key}`, code, "survey", {
        effectiveDateTime: when === "after" ? end : s.startedAt,
        valueQuantity: score(value),
        partOf: [ref(procedure)],
        note: [
          { text: when === "during" ? "During the session" : `${when === "before" ? "Before" : "After"} the session` },
        ],
      });
    };
    rating("discomfort", matwiseCode("mat-discomfort"), s.discomfort, "during");
    rating("pain-before", PAIN_CODE, s.painBefore, "before");
    rating("pain-after", PAIN_CODE, s.painAfter, "after");
    rating("tension-before", matwiseCode("muscle-tension"), s.tensionBefore, "before");
    rating("tension-after", matwiseCode("muscle-tension"), s.tensionAfter, "after");
    rating("stress-before", matwiseCode("stress"), s.stressBefore, "before");
    rating("stress-after", matwiseCode("stress"), s.stressAfter, "after");
    rating("relaxation-before", matwiseCode("relaxation"), s.relaxationBefore, "before");
    rating("relaxation-after", matwiseCode("relaxation"), s.relaxationAfter, "after");
  }
}

/** Each saved safety check: its answers as a QuestionnaireResponse and its result as an Observation. */
function addSafetyChecks(b: BundleBuilder, checks: FhirInput["safetyChecks"]): void {
  const { add, observation, subject } = b;
  for (const c of checks) {
    const areas = c.answers.areas ?? {};
    const response = add<QuestionnaireResponse>(`safety-check/${c.id}`, {
      resourceType: "QuestionnaireResponse",
      questionnaire: `${MATWISE_SAFETY_QUESTIONNAIRE}|${c.rulesVersion}`,
      status: "completed",
      subject,
      authored: c.date,
      item: Object.entries(c.answers.answers).map(([linkId, answer]) => ({
        linkId,
        answer: [
          { valueCoding: { system: `${MATWISE_FHIR}/CodeSystem/safety-answers`, code: answer } },
          ...(Object.hasOwn(areas, linkId) ? (areas[linkId] ?? []).map((a) => ({ valueString: a })) : []),
        ],
      })),
    });
    observation(`safety-check/${c.id}/result`, matwiseCode("safety-check-result"), "survey", {
      effectiveDateTime: c.date,
      valueCodeableConcept: {
        coding: [{ system: MATWISE_SAFETY_LEVELS, code: c.level, display: LEVEL_TEXT[c.level].label }],
        text: LEVEL_TEXT[c.level].label,
      },
      derivedFrom: [ref(response)],
      ...(c.areasOffMat.length ? { note: [{ text: `Keep off the mat: ${c.areasOffMat.join(", ")}` }] } : {}),
    });
  }
}

/** Each experiment: a ResearchStudy and the person as its ResearchSubject (returned by experiment id). */
function addExperiments(b: BundleBuilder, experiments: FhirInput["experiments"]): Map<string, Entry<ResearchSubject>> {
  const { add, subject } = b;
  const subjects = new Map<string, Entry<ResearchSubject>>();
  for (const x of experiments) {
    const running = x.state === "running";
    const period = {
      start: x.protocol.startsOn ?? x.frozenAt.slice(0, 10),
      ...(x.endedAt ? { end: x.endedAt } : x.protocol.endsOn ? { end: x.protocol.endsOn } : {}),
    };
    const study = add<ResearchStudy>(`experiment/${x.id}/study`, {
      resourceType: "ResearchStudy",
      identifier: [{ system: MATWISE_PROTOCOL_HASH, value: x.protocolHash }],
      title:
        x.source === "import"
          ? "Personal experiment with an acupressure mat (brought in; not pre-registered in matwise)"
          : "Personal randomized experiment with an acupressure mat (n-of-1)",
      status: running ? "active" : "completed",
      primaryPurposeType: {
        coding: [
          {
            system: "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type",
            code: "treatment",
            display: "Treatment",
          },
        ],
      },
      period,
      arm: [
        { name: "A", description: "Days with the acupressure mat" },
        { name: "B", description: "Days with the comparison condition of the protocol" },
      ],
      description: `Primary outcome: ${x.protocol.primaryOutcome}. Protocol frozen at ${x.frozenAt}; its SHA-256 is ${x.protocolHash}. The frozen protocol (canonical JSON):\n\n\`\`\`json\n${x.protocolCanonical}\n\`\`\``,
      ...(x.endReason ? { reasonStopped: { text: x.endReason } } : {}),
    });
    subjects.set(
      x.id,
      add<ResearchSubject>(`experiment/${x.id}/subject`, {
        resourceType: "ResearchSubject",
        status: running ? "on-study" : "off-study",
        period,
        study: ref(study),
        individual: subject,
      }),
    );
  }
  return subjects;
}

/** Each experiment day's ratings and sleep diary, as Observations focused on the experiment's subject. */
function addExperimentDays(
  b: BundleBuilder,
  days: FhirInput["experimentDays"],
  subjects: Map<string, Entry<ResearchSubject>>,
): void {
  const { observation } = b;
  for (const d of days) {
    const key = `experiment/${d.experimentId}/day/${d.date}`;
    const on = (what: string) => ({
      effectiveDateTime: d.date,
      ...(subjects.has(d.experimentId) ? { focus: [ref(subjects.get(d.experimentId)!)] } : {}),
      note: [{ text: `${what}${d.condition ? `; day of condition ${d.condition}` : ""}` }],
    });
    if (d.pain !== null)
      observation(`${key}/pain`, PAIN_CODE, "survey", {
        ...on("Evening check-in about the day"),
        valueQuantity: score(d.pain),
      });
    if (d.tension !== null)
      observation(`${key}/tension`, matwiseCode("muscle-tension"), "survey", {
        ...on("Evening check-in about the day"),
        valueQuantity: score(d.tension),
      });
    if (d.stress !== null)
      observation(`${key}/stress`, matwiseCode("stress"), "survey", {
        ...on("Evening check-in about the day"),
        valueQuantity: score(d.stress),
      });
    const night = "Sleep diary, about the night after this date";
    if (d.sleepQuality !== null)
      observation(`${key}/sleep-quality`, matwiseCode("sleep-quality"), "survey", {
        ...on(night),
        valueQuantity: score(d.sleepQuality),
      });
    if (d.sleepLatency !== null)
      observation(`${key}/sleep-latency`, matwiseCode("reported-sleep-latency"), "survey", {
        ...on(night),
        valueQuantity: minutes(d.sleepLatency),
      });
    if (d.wakings !== null)
      observation(`${key}/wakings`, matwiseCode("reported-night-wakings"), "survey", {
        ...on(night),
        valueInteger: d.wakings,
      });
  }
}

/** Each imported night: measured sleep as activity Observations from its device. */
function addSleep(b: BundleBuilder, nights: FhirInput["sleep"]): void {
  const { observation } = b;
  for (const n of nights) {
    const key = `sleep/${n.source}/${n.night}`;
    const when =
      n.sleepOnset && n.wakeTime
        ? { effectivePeriod: { start: n.sleepOnset, end: n.wakeTime } }
        : { effectiveDateTime: n.night };
    const device = {
      device: { display: SLEEP_SOURCE_TEXT[n.source] },
      note: [{ text: `The night after ${n.night}, imported from ${SLEEP_SOURCE_TEXT[n.source]}` }],
    };
    observation(`${key}/total`, matwiseCode("measured-total-sleep"), "activity", {
      ...when,
      ...device,
      valueQuantity: minutes(n.totalSleepMinutes),
    });
    if (n.sleepLatencyMinutes !== null) {
      observation(`${key}/latency`, matwiseCode("measured-sleep-latency"), "activity", {
        ...when,
        ...device,
        valueQuantity: minutes(n.sleepLatencyMinutes),
      });
    }
  }
}

/** The bundle: pure, from the records; the same input gives the same bundle. */
export function buildFhirBundle(input: FhirInput): Bundle {
  const entries: Entry[] = [];
  const add = <R extends Resource>(name: string, resource: R): Entry<R> => {
    const id = uuidFrom(`${input.person.id}/${name}`);
    const entry: Entry<R> = { id, resource: { ...resource, id } };
    entries.push(entry);
    return entry;
  };

  const patient = add<Patient>("patient", {
    resourceType: "Patient",
    identifier: [{ system: `${MATWISE_FHIR}/NamingSystem/account`, value: input.person.id }],
    ...(input.person.name ? { name: [{ text: input.person.name }] } : {}),
  });
  const subject = ref(patient);
  const observation: BundleBuilder["observation"] = (name, code, cat, fields) =>
    add<Observation>(name, {
      resourceType: "Observation",
      status: "final",
      category: category(cat),
      code,
      subject,
      ...fields,
    });
  const b: BundleBuilder = { add, observation, subject };

  addSessions(b, input.sessions);
  addSafetyChecks(b, input.safetyChecks);
  const subjects = addExperiments(b, input.experiments);
  addExperimentDays(b, input.experimentDays, subjects);
  addSleep(b, input.sleep);

  const entry: BundleEntry[] = entries.map((e) => ({ fullUrl: `urn:uuid:${e.id}`, resource: e.resource }));
  return {
    resourceType: "Bundle",
    id: uuidFrom(`${input.person.id}/bundle/${input.exportedAt}`),
    meta: { lastUpdated: input.exportedAt },
    type: "collection",
    timestamp: input.exportedAt,
    entry,
  };
}
