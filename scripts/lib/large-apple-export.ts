/**
 * Writes a large, realistic Apple Health export.xml for the streaming test and the bench: the
 * export's DOCTYPE, then for each night a watch's sleep stages among hundreds of heart-rate
 * records (which make most of a real export), until the file reaches `targetBytes`. The same
 * arguments always give the same file, and `expectedNight` says what each night must become.
 * @module
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_GB">
 <ExportDate value="2024-01-05 09:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet"/>
`;

const FIRST_NIGHT = Date.UTC(2019, 0, 1);
const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, "0");
/** "2019-01-01 23:00:00 +0000" for `ms` after midnight UTC of night `i`'s date. */
function appleDate(i: number, minutes: number): string {
  const d = new Date(FIRST_NIGHT + i * DAY + minutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

const sleep = (i: number, value: string, from: number, to: number) =>
  ` <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Ann’s Apple Watch" sourceVersion="10.2" creationDate="${appleDate(i, to)}" startDate="${appleDate(i, from)}" endDate="${appleDate(i, to)}" value="HKCategoryValueSleepAnalysis${value}"/>\n`;

const heartRate = (i: number, k: number) =>
  ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Ann’s Apple Watch" sourceVersion="10.2" device="&lt;&lt;HKDevice: 0x283f1c8c0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.2&gt;" unit="count/min" creationDate="${appleDate(i, 480 + k)}" startDate="${appleDate(i, 480 + k)}" endDate="${appleDate(i, 480 + k)}" value="${60 + (k % 40)}">\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="${k % 3}"/>\n </Record>\n`;

/** Minutes the night `i` was asleep (and its latency is always 30). */
export const expectedNight = (i: number) => ({
  night: new Date(FIRST_NIGHT + i * DAY).toISOString().slice(0, 10),
  totalSleepMinutes: 380 + (i % 60),
  sleepLatencyMinutes: 30,
});

/** Writes the file; returns its size and the number of nights in it. */
export async function writeLargeAppleExport(
  path: string,
  targetBytes: number,
  nights = 1500,
): Promise<{ bytes: number; nights: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write(HEADER);
  const perNight = Math.ceil((targetBytes - bytes) / nights / Buffer.byteLength(heartRate(0, 0)));
  for (let i = 0; i < nights; i++) {
    const extra = 180 + (i % 60);
    // Evening 22:30 in bed, asleep 23:00; minutes past the night's date's midnight.
    let chunk = sleep(i, "InBed", 22 * 60 + 30, 24 * 60 + 150 + extra + 10);
    chunk += sleep(i, "AsleepCore", 23 * 60, 25 * 60);
    chunk += sleep(i, "AsleepDeep", 25 * 60, 25 * 60 + 40);
    chunk += sleep(i, "AsleepREM", 25 * 60 + 40, 26 * 60 + 20);
    chunk += sleep(i, "Awake", 26 * 60 + 20, 26 * 60 + 30);
    chunk += sleep(i, "AsleepCore", 26 * 60 + 30, 26 * 60 + 30 + extra);
    await write(chunk);
    let filler = "";
    for (let k = 0; k < perNight; k++) {
      filler += heartRate(i, k);
      if (filler.length > 256 * 1024) {
        await write(filler);
        filler = "";
      }
    }
    await write(filler);
  }
  await write("</HealthData>\n");
  out.end();
  await once(out, "close");
  return { bytes, nights };
}
