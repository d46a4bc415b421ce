// @ts-check
import { defineConfig } from "astro/config";
import node from "@astrojs/node";
import preact from "@astrojs/preact";

export default defineConfig({
  site: process.env.MATWISE_SITE_URL ?? "http://localhost:4321",
  output: "server",
  adapter: node({ mode: "standalone" }),
  integrations: [preact()],
  // Forms must keep working without JavaScript; we check Origin ourselves in middleware.
  security: { checkOrigin: true },
  build: { inlineStylesheets: "always" },
  vite: {
    ssr: { external: ["@electric-sql/pglite", "pg"] },
  },
});
