#!/usr/bin/env node
// The matwise command. `matwise serve` runs the build (`npm run build` bundles the command line
// into dist/cli beside the server it starts). Every other command runs the sources: Node 20
// cannot run TypeScript itself, so tsx loads them.
import { existsSync } from "node:fs";

process.env.ASTRO_TELEMETRY_DISABLED ??= "1";
const built = new URL("../dist/cli/matwise.mjs", import.meta.url);
let main;
if (process.argv[2] === "serve" && existsSync(built)) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
const code = await main(process.argv.slice(2));
process.exit(code);
