/** What the account page needs for GET: the person's signed-in browsers and settings, in words. */
import Bowser from "bowser";
import { formatDate, formatTimeAgo, listTimeZones, type Clock } from "../../core/datetime";
import { escapeMarkup } from "../../core/markup";
import type { Db } from "../db/client";
import { listDevices } from "../repositories/devices";
import { exportAsZip, exportPersonalData } from "../repositories/personal-data";

/** "Chrome on Android", "Safari on iPhone", "Firefox on Windows"; "An unknown browser" when the browser did not say. */
export function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return "An unknown browser";
  const { browser, os, platform } = Bowser.parse(userAgent);
  const device =
    os.name === "iOS" ? (platform.model === "iPad" || platform.type === "tablet" ? "iPad" : "iPhone") : os.name;
  if (!browser.name && !device) return "An unknown browser";
  return device ? `${browser.name || "A browser"} on ${device}` : (browser.name ?? "A browser");
}

/** GET /account: each signed-in browser in words ("Chrome on Android, last used 2 hours ago"), this one first. */
export async function loadDevices(db: Db, userId: string, currentSessionId: string, clock: Clock, now = new Date()) {
  const devices = await listDevices(db, userId);
  return devices
    .map((d) => ({
      id: d.id,
      browser: describeBrowser(d.userAgent),
      lastUsed:
        d.id === currentSessionId ? "in use now" : `last used ${formatTimeAgo(d.lastUsedAt, now, clock.locale)}`,
      signedIn: formatDate(d.createdAt, "dateTime", clock),
      current: d.id === currentSessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** One `<option>` of the time-zone select; its text reads "America/New York". */
function zoneOption(zone: string, selected: boolean): string {
  const text = escapeMarkup(zone.replace(/_/g, " "));
  return `<option value="${escapeMarkup(zone)}"${selected ? " selected" : ""}>${text}</option>`;
}

/** The options of every zone, none selected, written once per process. */
let zoneOptions: readonly string[] | undefined;

/**
 * GET /account: the time-zone select's options as markup, the person's own zone selected (and put
 * first when the runtime does not know it). About 430 options rendered one by one as page markup
 * were most of the page's server time, so they are written once and only the selected one per view.
 */
export function loadTimeZoneChoices(current: string): { current: string; optionsHtml: string } {
  const zones = listTimeZones();
  zoneOptions ??= zones.map((z) => zoneOption(z, false));
  const i = zones.indexOf(current);
  const options = i < 0 ? [zoneOption(current, true), ...zoneOptions] : zoneOptions.with(i, zoneOption(current, true));
  return { current, optionsHtml: options.join("") };
}

/** GET /account/export.json and .zip: everything stored about the person, or null when the account is gone. */
export async function loadExport(db: Db, userId: string) {
  return exportPersonalData(db, userId);
}

/** GET /account/export.zip: the export as CSV files and the JSON in a zip, or null when the account is gone. */
export async function loadExportZip(db: Db, userId: string): Promise<{ exportedAt: string; zip: Uint8Array } | null> {
  const data = await loadExport(db, userId);
  return data ? { exportedAt: data.exportedAt, zip: exportAsZip(data) } : null;
}

/** The operator's contact (MATWISE_CONTACT) as a link, or null when none is set. */
export function contactOf(contact: string | undefined): { text: string; href: string } | null {
  if (!contact) return null;
  return {
    text: contact.replace(/^https?:\/\//, ""),
    href: /^https?:\/\//.test(contact) ? contact : `mailto:${contact}`,
  };
}
