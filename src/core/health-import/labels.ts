/** Words the sleep import shows. */

/** 441 → "7 h 21 min"; 45 → "45 min". */
export function formatSleepMinutes(minutes: number): string {
  const m = Math.round(minutes);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${m % 60} min` : `${m} min`;
}
