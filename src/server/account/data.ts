/** What the account page needs for GET: the person's signed-in browsers, in words. */
import { formatDate } from "../../core/datetime";
import { getDb } from "../db/client";
import { listDevices } from "../repositories/devices";
import { exportAsZip, exportPersonalData } from "../repositories/personal-data";

/** GET /account: each signed-in browser with when it signed in, and which one is this one. */
export async function loadDevices(userId: string, currentSessionId: string) {
  const devices = await listDevices(await getDb(), userId);
  return devices.map((d) => ({ id: d.id, signedIn: formatDate(d.createdAt, "dateTime"), browser: d.userAgent ? d.userAgent.slice(0, 80) : "unknown", current: d.id === currentSessionId }));
}

/** GET /account/export.json and .zip: everything stored about the person, or null when the account is gone. */
export async function loadExport(userId: string) {
  return exportPersonalData(await getDb(), userId);
}

/** GET /account/export.zip: the export as CSV files and the JSON in a zip, or null when the account is gone. */
export async function loadExportZip(userId: string): Promise<{ exportedAt: string; zip: Uint8Array } | null> {
  const data = await loadExport(userId);
  return data ? { exportedAt: data.exportedAt, zip: exportAsZip(data) } : null;
}
