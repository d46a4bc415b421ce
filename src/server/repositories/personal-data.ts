/**
 * Everything matwise stores about a person, in one registry: what to export, and what to
 * erase. A new table of personal data must be added here (a test fails otherwise: it looks
 * for any row that still mentions a deleted person, in every table).
 * @module
 */
import { eq, or, like } from "drizzle-orm";
import { strToU8, zipSync } from "fflate";
import { RATINGS } from "../../core/sessions/options";
import type { Db } from "../db/client";
import { account, matSession, requestCounter, safetyCheck, session, user, userMat, verification } from "../db/schema";
import { accountKey } from "../rate-limit";

/** Bumped whenever the export's shape changes. */
export const EXPORT_SCHEMA_VERSION = 3;

export interface PersonalExport {
  schemaVersion: number;
  exportedAt: string;
  /** What the export holds, in plain words. */
  about: string;
  user: { id: string; name: string; email: string; emailVerified: boolean; createdAt: string; updatedAt: string };
  devices: { id: string; createdAt: string; expiresAt: string; ipAddress: string | null; userAgent: string | null }[];
  signInMethods: { provider: string; createdAt: string }[];
  safetyChecks: { id: string; takenAt: string; rulesVersion: string; level: string; findingIds: string[]; areasOffMat: string[]; answers: unknown; professionalAgreedAt: string }[];
  /** Mat sessions (added in export version 2), oldest first; ratings are 0–10. */
  sessions: ExportedSession[];
  /** Mats the person added (added in export version 3). */
  mats: { id: string; name: string; spikeCount: number | null; lengthMm: number | null; widthMm: number | null; note: string | null; createdAt: string }[];
}

export interface ExportedSession {
  id: string;
  startedAt: string;
  durationSeconds: number;
  position: string;
  bodyArea: string;
  layer: string;
  matId: string | null;
  discomfort: number;
  painBefore: number;
  painAfter: number;
  tensionBefore: number;
  tensionAfter: number;
  stressBefore: number;
  stressAfter: number;
  relaxationBefore: number;
  relaxationAfter: number;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

const SESSION_COLUMNS: (keyof ExportedSession)[] = [
  "id",
  "startedAt",
  "durationSeconds",
  "position",
  "bodyArea",
  "layer",
  "matId",
  ...RATINGS,
  "note",
  "createdAt",
  "updatedAt",
];

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : "");

export async function exportPersonalData(db: Db, userId: string, now = new Date()): Promise<PersonalExport | null> {
  const [u] = await db.select().from(user).where(eq(user.id, userId));
  if (!u) return null;
  const devices = await db.select().from(session).where(eq(session.userId, userId));
  const methods = await db.select().from(account).where(eq(account.userId, userId));
  const checks = await db.select().from(safetyCheck).where(eq(safetyCheck.userId, userId)).orderBy(safetyCheck.takenAt);
  const sessions = await db.select().from(matSession).where(eq(matSession.userId, userId)).orderBy(matSession.startedAt);
  const mats = await db.select().from(userMat).where(eq(userMat.userId, userId)).orderBy(userMat.createdAt);
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    about: "Everything matwise stores about you. Password hashes and sign-in tokens are left out on purpose.",
    user: { id: u.id, name: u.name, email: u.email, emailVerified: u.emailVerified, createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt) },
    devices: devices.map((d) => ({ id: d.id, createdAt: iso(d.createdAt), expiresAt: iso(d.expiresAt), ipAddress: d.ipAddress, userAgent: d.userAgent })),
    signInMethods: methods.map((m) => ({ provider: m.providerId, createdAt: iso(m.createdAt) })),
    safetyChecks: checks.map((c) => ({
      id: c.id,
      takenAt: iso(c.takenAt),
      rulesVersion: c.rulesVersion,
      level: c.level,
      findingIds: c.findingIds,
      areasOffMat: c.areasOffMat,
      answers: c.answers,
      professionalAgreedAt: iso(c.professionalAgreedAt),
    })),
    sessions: sessions.map(({ userId: _owner, startedAt, createdAt, updatedAt, ...rest }) => ({ ...rest, startedAt: iso(startedAt), createdAt: iso(createdAt), updatedAt: iso(updatedAt) })),
    mats: mats.map(({ userId: _owner, createdAt, ...rest }) => ({ ...rest, createdAt: iso(createdAt) })),
  };
}

/** One CSV cell, quoted per RFC 4180 and guarded against spreadsheet formulas. */
export function csvCell(value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = "";
  else if (value instanceof Date) s = value.toISOString();
  else if (typeof value === "string") s = value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") s = value.toString();
  else s = JSON.stringify(value) ?? "";
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  return [cols.join(","), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(","))].join("\r\n") + "\r\n";
}

/** The same export as CSV files in a zip: one file per kind of record, plus the JSON. */
export function exportAsZip(data: PersonalExport): Uint8Array {
  const files: Record<string, Uint8Array> = {
    "README.txt": strToU8(`${data.about}\nExported ${data.exportedAt}; export format version ${data.schemaVersion}.\n`),
    "user.csv": strToU8(toCsv([data.user])),
    "devices.csv": strToU8(toCsv(data.devices, ["id", "createdAt", "expiresAt", "ipAddress", "userAgent"])),
    "sign-in-methods.csv": strToU8(toCsv(data.signInMethods, ["provider", "createdAt"])),
    "safety-checks.csv": strToU8(toCsv(data.safetyChecks, ["id", "takenAt", "rulesVersion", "level", "findingIds", "areasOffMat", "answers", "professionalAgreedAt"])),
    "sessions.csv": strToU8(toCsv(data.sessions as unknown as Record<string, unknown>[], SESSION_COLUMNS)),
    "mats.csv": strToU8(toCsv(data.mats, ["id", "name", "spikeCount", "lengthMm", "widthMm", "note", "createdAt"])),
    "matwise-export.json": strToU8(JSON.stringify(data, null, 2)),
  };
  return zipSync(files, { level: 6 });
}

/** Erases every row of the person in one transaction. Returns false when there was no such person. */
export async function deletePersonalData(db: Db, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ email: user.email }).from(user).where(eq(user.id, userId));
    if (!u) return false;
    await tx.delete(safetyCheck).where(eq(safetyCheck.userId, userId));
    await tx.delete(matSession).where(eq(matSession.userId, userId));
    await tx.delete(userMat).where(eq(userMat.userId, userId));
    await tx.delete(session).where(eq(session.userId, userId));
    await tx.delete(account).where(eq(account.userId, userId));
    await tx.delete(verification).where(or(eq(verification.value, userId), eq(verification.identifier, u.email)));
    await tx.delete(requestCounter).where(like(requestCounter.key, `%${accountKey("", u.email).slice(1)}`));
    await tx.delete(user).where(eq(user.id, userId));
    return true;
  });
}
