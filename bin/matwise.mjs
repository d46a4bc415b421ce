#!/usr/bin/env node
// The matwise command. Node 20 cannot run TypeScript itself, so tsx loads the sources.
import { register } from "tsx/esm/api";

process.env.ASTRO_TELEMETRY_DISABLED ??= "1";
register();
const { main } = await import("../src/cli/main.ts");
const code = await main(process.argv.slice(2));
process.exit(code);
