/**
 * Build step: every script Astro may inline into a page is known when the site is built (the
 * components' inlined `<script>`s, the island loader, one snippet per `client:` directive). This
 * integration hashes them once and writes the list beside the server build, where the web server
 * reads it at start-up (`loadScriptHashes`). The Content-Security-Policy therefore allows exactly
 * our own scripts and is never derived from a rendered page, which may hold a person's data.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import islandScript from "astro/runtime/server/astro-island.prebuilt.js";
import { SCRIPT_HASHES_FILE, scriptHash } from "./security-headers";

export function scriptHashesIntegration(): AstroIntegration {
  let serverDir: URL | null = null;
  let scripts: string[] = [];
  return {
    name: "matwise:script-hashes",
    hooks: {
      "astro:config:done": ({ config }) => {
        serverDir = config.build.server;
      },
      "astro:build:ssr": ({ manifest }) => {
        scripts = [
          ...manifest.inlinedScripts.map(([, text]) => text),
          ...manifest.clientDirectives.map(([, text]) => text),
          islandScript,
        ];
      },
      "astro:build:done": ({ logger }) => {
        if (!serverDir) return;
        const dir = fileURLToPath(serverDir);
        mkdirSync(dir, { recursive: true });
        const hashes = [...new Set(scripts.map(scriptHash))].sort();
        writeFileSync(`${dir}/${SCRIPT_HASHES_FILE}`, `${JSON.stringify({ scriptHashes: hashes }, null, 2)}\n`);
        logger.info(`${hashes.length} script hashes for the Content-Security-Policy written to ${SCRIPT_HASHES_FILE}`);
      },
    },
  };
}
