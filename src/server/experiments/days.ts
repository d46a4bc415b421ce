/**
 * The one shape of an experiment's days as the loaders and the analyses share it (issue 28):
 * the experiment, each stored day with its place in the schedule, its check-in and its status on
 * the person's local today.
 * @module
 */
import { getLocalDate } from "../../core/datetime";
import { getDayStatus, type CheckIn, type DayStatus } from "../../core/experiments/days";
import { isImported } from "../../core/experiments/protocol";
import type { ScheduledDay } from "../../core/experiments/schedule";
import type { Db } from "../db/client";
import {
  listExperimentDays,
  requireExperiment,
  toCheckIn,
  toScheduledDay,
  type ExperimentDayRecord,
  type ExperimentRecord,
} from "../repositories/experiments";

export interface ExperimentDay {
  record: ExperimentDayRecord;
  scheduled: ScheduledDay;
  checkIn: CheckIn | undefined;
  status: DayStatus;
}

export interface ExperimentDays {
  experiment: ExperimentRecord;
  days: ExperimentDay[];
  /** The person's local date (the experiment's time zone). */
  today: string;
}

/** One experiment with its days, their status on the person's local today, and today's row. */
export async function loadExperimentDays(
  db: Db,
  userId: string,
  id: string,
  now = new Date(),
): Promise<ExperimentDays> {
  const experiment = await requireExperiment(db, userId, id);
  const days = await listExperimentDays(db, userId, id);
  const today = getLocalDate(now, experiment.protocol.timeZone);
  const rows = days.map((d) => ({ record: d, scheduled: toScheduledDay(d), checkIn: toCheckIn(d) }));
  // An imported day has a value from the file or none; there was no check-in to be on time for.
  const p = experiment.protocol;
  const statusOf = (r: (typeof rows)[number]): DayStatus =>
    isImported(p)
      ? r.record[p.primaryOutcome] === null
        ? "missed"
        : "imported"
      : getDayStatus(r.scheduled, r.checkIn, today);
  const withStatus = rows.map((r) => ({ ...r, status: statusOf(r) }));
  return { experiment, days: withStatus, today };
}
