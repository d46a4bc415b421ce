/**
 * The one shape of an experiment's days as the loaders and the analyses share it (issue 28):
 * the experiment, each stored day with its place in the schedule, its check-in and its status on
 * the person's local today.
 * @module
 */
import type { CheckIn, DayStatus } from "../../core/experiments/days";
import type { ScheduledDay } from "../../core/experiments/schedule";
import type { ExperimentDayRecord, ExperimentRecord } from "../repositories/experiments";

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
