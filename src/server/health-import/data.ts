/**
 * What the health-data pages need for GET: the FHIR bundle of everything a person recorded,
 * the imported sleep by source, and imported nights beside the sleep diary.
 * @module
 */
import {
  buildFhirBundle,
  type FhirExperiment,
  type FhirExperimentDay,
  type FhirInput,
  type FhirSafetyCheck,
  type FhirSession,
} from "../../core/fhir/bundle";
import { formatCalendarDate } from "../../core/datetime";
import { SLEEP_SOURCE_TEXT, type SleepNight } from "../../core/health-import/night";
import { formatSleepMinutes } from "../../core/health-import/labels";
import type { Bundle } from "@medplum/fhirtypes";
import type { Db } from "../db/client";
import { exportPersonalData } from "../repositories/personal-data";
import { listSleepRecordsBetween, summarizeSleepSources, type SleepRecord } from "../repositories/sleep-records";

/**
 * GET /account/export.fhir.json: the person's records as a FHIR R4 collection, or null when
 * the account is gone. The name goes in only when `withName` (the person asked for it).
 */
export async function loadFhirExport(
  db: Db,
  userId: string,
  opts: { withName: boolean; now?: Date },
): Promise<{ exportedAt: string; bundle: Bundle } | null> {
  const data = await exportPersonalData(db, userId, opts.now);
  if (!data) return null;
  const input: FhirInput = {
    person: { id: data.user.id, ...(opts.withName && data.user.name.trim() ? { name: data.user.name.trim() } : {}) },
    exportedAt: data.exportedAt,
    sessions: data["sessions"] as FhirSession[],
    safetyChecks: data["safetyChecks"] as FhirSafetyCheck[],
    experiments: data["experiments"] as FhirExperiment[],
    experimentDays: data["experimentDays"] as FhirExperimentDay[],
    sleep: data["importedSleep"] as SleepNight[],
  };
  return { exportedAt: data.exportedAt, bundle: buildFhirBundle(input) };
}

/** GET /account/import: each source with its nights, in words. */
export async function loadSleepSources(db: Db, userId: string, locale: string) {
  const rows = await summarizeSleepSources(db, userId);
  return rows.map((r) => ({
    source: r.source,
    name: SLEEP_SOURCE_TEXT[r.source],
    nights: r.nights,
    from: formatCalendarDate(r.first, "date", locale),
    to: formatCalendarDate(r.last, "date", locale),
  }));
}

/** Imported nights from `from` to `to` by night, for showing beside the sleep diary. */
export async function loadImportedNights(
  db: Db,
  userId: string,
  from: string,
  to: string,
): Promise<Map<string, { source: string; text: string }[]>> {
  const rows = await listSleepRecordsBetween(db, userId, from, to);
  const out = new Map<string, { source: string; text: string }[]>();
  for (const r of rows) out.set(r.night, [...(out.get(r.night) ?? []), describeNight(r)]);
  return out;
}

function describeNight(r: SleepRecord): { source: string; text: string } {
  const latency = r.sleepLatencyMinutes === null ? "" : `, ${Math.round(r.sleepLatencyMinutes)} min to fall asleep`;
  return { source: SLEEP_SOURCE_TEXT[r.source], text: `${formatSleepMinutes(r.totalSleepMinutes)} asleep${latency}` };
}
