// @ts-check
import { defineConfig } from "astro/config";
import node from "@astrojs/node";
import preact from "@astrojs/preact";
import { remarkEvidenceMarkers } from "./src/content/markers/remark-evidence-markers";
import { scriptHashesIntegration } from "./src/server/script-hashes-integration";

export default defineConfig({
  site: process.env.MATWISE_SITE_URL ?? "http://localhost:4321",
  output: "server",
  adapter: node({ mode: "standalone" }),
  // The Content-Security-Policy allows the build's own inline scripts, hashed once at build time.
  integrations: [preact(), scriptHashesIntegration()],
  // Astro's own origin check compares against a URL it builds without the Host header
  // (http://localhost), which refuses real same-site posts; src/server/csrf.ts does the check
  // against the Host header instead, in src/middleware.ts, for every state-changing request.
  security: { checkOrigin: false },
  build: { inlineStylesheets: "always" },
  // Guide markers ([[cite:id]], [[certainty:area=level]]) are rendered and checked at build time.
  markdown: { remarkPlugins: [remarkEvidenceMarkers] },
  vite: {
    ssr: { external: ["@electric-sql/pglite", "pg"] },
  },
});
