// Where the memory of `matwise serve` on PGlite goes, stage by stage, in one plain Node process
// (bench/memory.ts runs it): resident memory after Node starts, after PGlite opens the folder
// (with the given PostgreSQL settings), after a first query, and after the built web server's
// module graph (dist/server/entry.mjs) is loaded. Prints one JSON line.
//   node bench/lib/memory-stages.mjs <data folder> '<settings as JSON array>'
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

const [dir, settings] = process.argv.slice(2);
const mib = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const stages = [["Node started", mib()]];
const db = await PGlite.create(dir, { postgresqlconf: JSON.parse(settings) });
stages.push(["PGlite open on the folder", mib()]);
await db.query('select count(*) from "user"');
await db.query("select count(*) from mat_session");
stages.push(["after a first query", mib()]);
const wasm = Math.round(db.mod.HEAPU8.byteLength / 2 ** 20);
// The resident part of the WebAssembly memory: the mapping of exactly its size in /proc/self/smaps.
const wasmResident = (() => {
  const lines = readFileSync("/proc/self/smaps", "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(lines[i]);
    if (!m || Number(BigInt(`0x${m[2]}`) - BigInt(`0x${m[1]}`)) !== db.mod.HEAPU8.byteLength) continue;
    for (let j = i + 1; j < lines.length && !/^[0-9a-f]+-/.test(lines[j]); j++) {
      const rss = /^Rss:\s+(\d+) kB/.exec(lines[j]);
      if (rss) return Math.round(Number(rss[1]) / 1024);
    }
  }
  return null;
})();
process.env.ASTRO_NODE_AUTOSTART = "disabled";
await import(pathToFileURL(join(process.cwd(), "dist/server/entry.mjs")).href);
stages.push(["the built web server's modules loaded", mib()]);
const heap = process.memoryUsage();
console.log(
  JSON.stringify({
    stages,
    wasm,
    wasmResident,
    heapUsed: Math.round(heap.heapUsed / 2 ** 20),
    heapTotal: Math.round(heap.heapTotal / 2 ** 20),
    external: Math.round(heap.external / 2 ** 20),
  }),
);
await db.close();
