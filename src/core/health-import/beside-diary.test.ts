import { describe, expect, it } from "vitest";
import { measuredSleepMeans, nightsBesideDiary } from "./beside-diary";

const night = (date: string, source: "oura" | "apple-health", total: number, latency: number | null = null) => ({
  night: date,
  source,
  totalSleepMinutes: total,
  sleepLatencyMinutes: latency,
});

describe("measuredSleepMeans", () => {
  it("means the nights after each condition's days, per source, and leaves out nights outside the experiment", () => {
    const days = [
      { date: "2026-03-01", condition: "A" as const },
      { date: "2026-03-02", condition: "B" as const },
      { date: "2026-03-03", condition: "A" as const },
    ];
    const nights = [
      night("2026-03-01", "oura", 420, 10),
      night("2026-03-02", "oura", 400, 20),
      night("2026-03-03", "oura", 431, 15),
      night("2026-03-03", "apple-health", 410),
      night("2026-02-28", "oura", 100, 1),
    ];
    expect(measuredSleepMeans(days, nights)).toEqual([
      { label: "Total sleep time in minutes, measured by Apple Health", a: { mean: "410", n: 1 }, b: null },
      { label: "Total sleep time in minutes, measured by Oura", a: { mean: "425.5", n: 2 }, b: { mean: "400", n: 1 } },
      { label: "Minutes to fall asleep, measured by Oura", a: { mean: "12.5", n: 2 }, b: { mean: "20", n: 1 } },
    ]);
  });
});

describe("nightsBesideDiary", () => {
  it("puts what was measured beside what was written, newest first", () => {
    const days = [
      { date: "2026-03-01", sleepQuality: 7, sleepLatency: 20, wakings: 1 },
      { date: "2026-03-02", sleepQuality: null, sleepLatency: null, wakings: null },
      { date: "2026-03-03", sleepQuality: null, sleepLatency: null, wakings: null },
    ];
    expect(
      nightsBesideDiary(days, [night("2026-03-01", "oura", 441, 12), night("2026-03-02", "apple-health", 45)]),
    ).toEqual([
      { night: "Night after 2 March 2026", diary: null, measured: [{ source: "Apple Health", text: "45 min asleep" }] },
      {
        night: "Night after 1 March 2026",
        diary: "sleep quality 7 of 10, 20 min to fall asleep, woke 1 time",
        measured: [{ source: "Oura", text: "7 h 21 min asleep, 12 min to fall asleep" }],
      },
    ]);
  });
});
