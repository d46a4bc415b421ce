#!/usr/bin/env node
// The matwise command. Every command runs the build: `npm run build` bundles the command line
// into dist/cli/matwise.mjs. Before the first build (a fresh checkout, while developing), the
// sources run through tsx, a development dependency, when it is installed.
import { existsSync } from "node:fs";

process.env.ASTRO_TELEMETRY_DISABLED ??= "1";
const built = new URL("../dist/cli/matwise.mjs", import.meta.url);
let main;
if (existsSync(built) && process.env.MATWISE_FROM_SOURCES !== "1") {
  ({ main } = await import(built.href));
} else {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    console.error("matwise is not built yet: run `npm run build` first.");
    process.exit(1);
  }
  ({ main } = await import("../src/cli/main.ts"));
}
const code = await main(process.argv.slice(2));
process.exit(code);
