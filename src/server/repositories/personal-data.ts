/**
 * Everything matwise stores about a person, in one registry that both the export and the
 * erasure walk. A new table of personal data is one entry in PERSONAL_TABLES: its rows are
 * then exported (JSON and a CSV in the zip) and erased with the account. A test fails when a
 * table with a `user_id` column is missing here.
 * @module
 */
import { eq, like, or } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { strToU8, zipSync } from "fflate";
import { writeCsv } from "../../core/csv";
import type { Db } from "../db/client";
import {
  account,
  breakInPlan,
  calendarFeed,
  experiment,
  experimentDay,
  matSession,
  pushSubscription,
  reminderJob,
  reminderSetting,
  requestCounter,
  safetyCheck,
  session,
  sleepRecord,
  studyConsent,
  studyParticipant,
  studyResearcher,
  user,
  userMat,
  verification,
} from "../db/schema";
import { accountKey } from "../rate-limit";
import { toDevice } from "./devices";
import { toExperiment, toExperimentDay, type ExperimentRecord } from "./experiments";
import {
  concealCondition,
  concealmentOf,
  concealSeed,
  type ConcealmentClock,
} from "../../core/experiments/concealment";
import { toRecord as toSessionRecord } from "./mat-sessions";
import { toPlanRecord } from "./plans";
import { toCalendarFeedRecord, toPushDeviceRecord, toReminderJobRecord, toReminderSettingRecord } from "./reminders";
import { toConsentExport, toParticipantExport, toResearcherExport } from "./studies";
import { toSaved as toSavedCheck } from "./safety-checks";
import { toSleepRecord } from "./sleep-records";
import { toUserMat } from "./user-mats";

/**
 * Bumped whenever the export's shape changes (4: every record as the pages see it, from the
 * repositories' mappers; 5: the user's time zone, a device's last use, the break-in plan,
 * ratings that may be empty, and personal experiments with their days; 6: reminders, reminders
 * sent, devices subscribed to notifications, when the calendar address was made, imported sleep,
 * and research studies the person researches or takes part in, with what they agreed to; 7: while
 * an experiment runs, its `scheduleSeed` is the text "concealed until the experiment ends" and a
 * later day's `condition` is "concealed until <date>", where both were a number and "A"/"B" before,
 * decision 093).
 */
export const EXPORT_SCHEMA_VERSION = 7;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : "");

/** One table of personal data: how to find a person's rows, and how they are exported. */
interface PersonalTable<Row, Out extends object> {
  /** Key in the export JSON; the CSV file is named after it. */
  key: string;
  /** CSV file name in the zip. */
  file: string;
  table: PgTable;
  userId: PgColumn;
  /** Export order, oldest first. */
  order: PgColumn;
  /** The repository's own row mapper (the export shows what the pages show). */
  toExport: (row: Row) => Out;
  /** CSV columns: every key of `Out`, in order (a test checks none is missing). */
  columns: readonly (keyof Out & string)[];
}

/** Declares an entry with its row type tied to its table. */
const personalTable = <T extends PgTable, Out extends object>(
  entry: Omit<PersonalTable<T["$inferSelect"], Out>, "table"> & { table: T },
) => entry as unknown as PersonalTable<unknown, Record<string, unknown>>;

/**
 * Every table with a `user_id`, in the order of the export. Erasure runs it backwards, then
 * removes what is keyed by email (reset tokens, rate-limit counters) and the user row itself.
 */
export const PERSONAL_TABLES = [
  personalTable({
    key: "devices",
    file: "devices.csv",
    table: session,
    userId: session.userId,
    order: session.createdAt,
    toExport: toDevice,
    columns: ["id", "createdAt", "lastUsedAt", "expiresAt", "ipAddress", "userAgent"],
  }),
  personalTable({
    key: "signInMethods",
    file: "sign-in-methods.csv",
    table: account,
    userId: account.userId,
    order: account.createdAt,
    toExport: (m) => ({ provider: m.providerId, createdAt: iso(m.createdAt) }),
    columns: ["provider", "createdAt"],
  }),
  personalTable({
    key: "safetyChecks",
    file: "safety-checks.csv",
    table: safetyCheck,
    userId: safetyCheck.userId,
    order: safetyCheck.takenAt,
    toExport: toSavedCheck,
    columns: [
      "id",
      "date",
      "rulesVersion",
      "level",
      "findingIds",
      "areasOffMat",
      "professionalAgreed",
      "professionalAgreedAt",
      "answers",
    ],
  }),
  personalTable({
    key: "sessions",
    file: "sessions.csv",
    table: matSession,
    userId: matSession.userId,
    order: matSession.startedAt,
    toExport: toSessionRecord,
    columns: [
      "id",
      "startedAt",
      "durationSeconds",
      "position",
      "area",
      "layer",
      "matId",
      "discomfort",
      "painBefore",
      "painAfter",
      "tensionBefore",
      "tensionAfter",
      "stressBefore",
      "stressAfter",
      "relaxationBefore",
      "relaxationAfter",
      "note",
      "createdAt",
    ],
  }),
  personalTable({
    key: "plans",
    file: "plans.csv",
    table: breakInPlan,
    userId: breakInPlan.userId,
    order: breakInPlan.createdAt,
    toExport: toPlanRecord,
    columns: [
      "id",
      "start",
      "lengthDays",
      "gentleness",
      "skin",
      "tolerance",
      "area",
      "level",
      "areasOff",
      "professionalAgreed",
      "createdAt",
      "updatedAt",
    ],
  }),
  personalTable({
    key: "mats",
    file: "mats.csv",
    table: userMat,
    userId: userMat.userId,
    order: userMat.createdAt,
    toExport: toUserMat,
    columns: ["id", "name", "spikeCount", "lengthMm", "widthMm", "note", "createdAt"],
  }),
  personalTable({
    key: "experiments",
    file: "experiments.csv",
    table: experiment,
    userId: experiment.userId,
    order: experiment.createdAt,
    toExport: toExperiment,
    columns: [
      "id",
      "protocol",
      "protocolCanonical",
      "protocolHash",
      "frozenAt",
      "scheduleSeed",
      "analysisSeed",
      "source",
      "state",
      "endedAt",
      "endReason",
      "dataVersion",
      "createdAt",
    ],
  }),
  personalTable({
    key: "experimentDays",
    file: "experiment-days.csv",
    table: experimentDay,
    userId: experimentDay.userId,
    order: experimentDay.date,
    toExport: toExperimentDay,
    columns: [
      "experimentId",
      "date",
      "day",
      "block",
      "period",
      "condition",
      "firstOfPeriod",
      "recordedAt",
      "recordedOn",
      "adherence",
      "pain",
      "tension",
      "stress",
      "sleepQuality",
      "sleepLatency",
      "wakings",
      "sleepRecordedAt",
      "harms",
    ],
  }),
  personalTable({
    key: "reminders",
    file: "reminders.csv",
    table: reminderSetting,
    userId: reminderSetting.userId,
    order: reminderSetting.kind,
    toExport: toReminderSettingRecord,
    columns: ["kind", "time", "channels", "updatedAt"],
  }),
  personalTable({
    key: "remindersSent",
    file: "reminders-sent.csv",
    table: reminderJob,
    userId: reminderJob.userId,
    order: reminderJob.dueAt,
    toExport: toReminderJobRecord,
    columns: ["kind", "localDate", "dueAt", "state", "doneAt", "outcome"],
  }),
  personalTable({
    key: "pushDevices",
    file: "push-devices.csv",
    table: pushSubscription,
    userId: pushSubscription.userId,
    order: pushSubscription.createdAt,
    toExport: toPushDeviceRecord,
    columns: ["id", "endpoint", "userAgent", "createdAt"],
  }),
  personalTable({
    key: "calendarFeed",
    file: "calendar-feed.csv",
    table: calendarFeed,
    userId: calendarFeed.userId,
    order: calendarFeed.createdAt,
    toExport: toCalendarFeedRecord,
    columns: ["createdAt"],
  }),
  personalTable({
    key: "importedSleep",
    file: "imported-sleep.csv",
    table: sleepRecord,
    userId: sleepRecord.userId,
    order: sleepRecord.night,
    toExport: toSleepRecord,
    columns: [
      "id",
      "night",
      "source",
      "bedtime",
      "sleepOnset",
      "wakeTime",
      "totalSleepMinutes",
      "sleepLatencyMinutes",
      "fileName",
      "importedAt",
    ],
  }),
  personalTable({
    key: "studiesResearched",
    file: "studies-researched.csv",
    table: studyResearcher,
    userId: studyResearcher.userId,
    order: studyResearcher.addedAt,
    toExport: toResearcherExport,
    columns: ["studyId", "role", "addedAt"],
  }),
  personalTable({
    key: "studyParticipation",
    file: "study-participation.csv",
    table: studyParticipant,
    userId: studyParticipant.userId,
    order: studyParticipant.createdAt,
    toExport: toParticipantExport,
    columns: [
      "id",
      "studyId",
      "pseudonym",
      "state",
      "exclusionReason",
      "experimentId",
      "withdrawnAt",
      "keepUntil",
      "createdAt",
    ],
  }),
  personalTable({
    key: "studyConsents",
    file: "study-consents.csv",
    table: studyConsent,
    userId: studyConsent.userId,
    order: studyConsent.agreedAt,
    toExport: toConsentExport,
    columns: ["participantId", "studyId", "version", "hash", "agreedAt"],
  }),
];

export interface PersonalExport {
  schemaVersion: number;
  exportedAt: string;
  /** What the export holds, in plain words. */
  about: string;
  user: {
    id: string;
    name: string;
    email: string;
    emailVerified: boolean;
    timeZone: string;
    createdAt: string;
    updatedAt: string;
  };
  /** One list per entry of PERSONAL_TABLES, under its key. */
  [key: string]: unknown;
}

const USER_COLUMNS = ["id", "name", "email", "emailVerified", "timeZone", "createdAt", "updatedAt"] as const;

export async function exportPersonalData(db: Db, userId: string, now = new Date()): Promise<PersonalExport | null> {
  const [u] = await db.select().from(user).where(eq(user.id, userId));
  if (!u) return null;
  const out: PersonalExport = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    about: "Everything matwise stores about you. Password hashes and sign-in tokens are left out on purpose.",
    user: {
      id: u.id,
      name: u.name,
      email: u.email,
      emailVerified: u.emailVerified,
      timeZone: u.timeZone,
      createdAt: iso(u.createdAt),
      updatedAt: iso(u.updatedAt),
    },
  };
  for (const t of PERSONAL_TABLES) {
    const rows = await db.select().from(t.table).where(eq(t.userId, userId)).orderBy(t.order);
    out[t.key] = rows.map((r) => t.toExport(r));
  }
  concealRunningExperiments(out, now);
  return out;
}

/**
 * While an experiment runs, its later days' conditions and its schedule's seed stay on the
 * server (src/core/experiments/concealment.ts): the JSON, the zip's CSV files and the FHIR
 * bundle, which are all made from this export, show "concealed until <date>" instead.
 */
function concealRunningExperiments(out: PersonalExport, now: Date): void {
  const clocks = new Map<string, ConcealmentClock>();
  out["experiments"] = (out["experiments"] as ExperimentRecord[]).map((x) => {
    const clock = concealmentOf(x, now);
    clocks.set(x.id, clock);
    return { ...x, scheduleSeed: concealSeed(x.scheduleSeed, clock.ended) };
  });
  out["experimentDays"] = (out["experimentDays"] as ReturnType<typeof toExperimentDay>[]).map((d) => {
    const clock = clocks.get(d.experimentId);
    return clock ? concealCondition(d, clock) : d;
  });
}

/** The same export as CSV files in a zip: one file per kind of record, plus the JSON. */
export function exportAsZip(data: PersonalExport): Uint8Array {
  const files: Record<string, Uint8Array> = {
    "README.txt": strToU8(`${data.about}\nExported ${data.exportedAt}; export format version ${data.schemaVersion}.\n`),
    "user.csv": strToU8(writeCsv([data.user], USER_COLUMNS)),
    "matwise-export.json": strToU8(JSON.stringify(data, null, 2)),
  };
  for (const t of PERSONAL_TABLES)
    files[t.file] = strToU8(writeCsv((data[t.key] as Record<string, unknown>[] | undefined) ?? [], t.columns));
  return zipSync(files, { level: 6 });
}

/** Erases every row of the person in one transaction. Returns false when there was no such person. */
export async function deletePersonalData(db: Db, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ email: user.email }).from(user).where(eq(user.id, userId));
    if (!u) return false;
    for (const t of [...PERSONAL_TABLES].reverse()) await tx.delete(t.table).where(eq(t.userId, userId));
    await tx.delete(verification).where(or(eq(verification.value, userId), eq(verification.identifier, u.email)));
    await tx.delete(requestCounter).where(like(requestCounter.key, `%${accountKey("", u.email).slice(1)}`));
    await tx.delete(user).where(eq(user.id, userId));
    return true;
  });
}
