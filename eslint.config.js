// @ts-check
import eslintPluginAstro from "eslint-plugin-astro";
import tseslint from "typescript-eslint";

/** Modules the pure core may never reach: frameworks, databases, Node itself. */
const coreForbidden = [
  { group: ["astro", "astro:*", "astro/*", "@astrojs/*"], message: "src/core is pure: no astro imports." },
  { group: ["drizzle-orm", "drizzle-orm/*", "drizzle-kit"], message: "src/core is pure: no database imports." },
  { group: ["@electric-sql/*", "pg", "pg/*"], message: "src/core is pure: no database drivers." },
  { group: ["node:*"], message: "src/core is pure: pass what you need from node in as a parameter." },
  {
    group: [
      "fs",
      "fs/*",
      "path",
      "os",
      "crypto",
      "child_process",
      "http",
      "https",
      "net",
      "url",
      "util",
      "stream",
      "events",
      "process",
      "buffer",
      "worker_threads",
    ],
    message: "src/core is pure: no Node built-ins.",
  },
  {
    group: ["**/server/**", "**/pages/**", "**/islands/**", "**/components/**", "**/cli/**"],
    message: "src/core may not import outward layers.",
  },
  {
    group: ["preact", "preact/*", "linkedom", "@observablehq/*"],
    message: "src/core is pure: no UI or DOM libraries.",
  },
];

const domGlobals = [
  "window",
  "document",
  "navigator",
  "localStorage",
  "sessionStorage",
  "location",
  "HTMLElement",
  "Element",
  "fetch",
  "XMLHttpRequest",
  "process",
  "Buffer",
  "require",
  "__dirname",
].map((name) => ({ name, message: `src/core is pure: '${name}' belongs to the DOM or Node; take it as a parameter.` }));

/** Database code: only src/server reaches it, through the repositories. */
const databaseModules = [
  "**/server/db/**",
  "**/server/db",
  "**/server/repositories/**",
  "drizzle-orm",
  "drizzle-orm/*",
  "@electric-sql/*",
  "pg",
];

/** Components are views: they render what they are given and never reach the server. */
const componentForbidden = [
  {
    group: ["**/server/**", "**/server", ...databaseModules, "astro:content"],
    message: "src/components holds views only: pass data in as props (load it in src/server/<feature>/data.ts).",
  },
];

/** Pages guard, call an action or a loader, and render; the queries live in src/server. */
const pageForbidden = [
  {
    group: databaseModules,
    message: "Pages do not query the database: call src/server/<feature>/data.ts or actions.ts.",
  },
];

/**
 * Only repositories query the database: drizzle and the table definitions stay in
 * src/server/repositories/** and src/server/db/** (which defines them). Everything else in src/
 * calls a repository function, passing the drizzle instance first.
 */
const queryForbidden = [
  {
    group: ["drizzle-orm", "drizzle-orm/*", "**/db/schema", "**/db/schema/**"],
    message:
      "Only repositories query the database: move the query into src/server/repositories/ (the drizzle instance first).",
  },
];

/** Files outside the repositories that may still reach drizzle or the schema, each with its reason. */
const queryExceptions = [
  // The database itself: the client, migrations, batching and test helpers define and drive the tables.
  "src/server/db/**",
  "src/server/repositories/**",
  // better-auth queries its own tables through its drizzle adapter, which is handed those tables here.
  "src/server/auth/auth.ts",
  // Tests check what was stored (or plant rows) beneath the repositories they exercise.
  "src/**/*.test.ts",
];

export default tseslint.config(
  { ignores: ["dist/", ".astro/", "node_modules/", "data/", "coverage/", "drizzle/", "bench/results/", ".scratch/"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  // .astro files: parsed by the Astro plugin and held to the same layer rules (no type-aware rules there).
  ...eslintPluginAstro.configs["flat/base"],
  {
    files: ["**/*.astro", "**/*.astro/*.ts", "*.astro/*.ts"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
  },
  // Listed before the layer rules below: for core, pages, components and islands those later
  // (stricter) rules take over no-restricted-imports, and they forbid the database outright.
  {
    files: ["src/**/*.ts", "src/**/*.tsx", "src/**/*.astro"],
    ignores: queryExceptions,
    rules: { "no-restricted-imports": ["error", { patterns: queryForbidden }] },
  },
  {
    files: ["src/components/**/*.astro", "src/components/**/*.ts", "src/components/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: componentForbidden }] },
  },
  {
    files: ["src/pages/**/*.astro", "src/pages/**/*.ts", "src/layouts/**/*.astro"],
    rules: { "no-restricted-imports": ["error", { patterns: pageForbidden }] },
  },
  {
    files: ["src/core/**/*.ts", "src/core/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: coreForbidden }],
      "no-restricted-globals": ["error", ...domGlobals],
    },
  },
  {
    files: ["src/islands/**/*.ts", "src/islands/**/*.tsx", "src/islands/**/*.astro"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server/**", "**/server", "node:*", "pg", "drizzle-orm", "drizzle-orm/*", "@electric-sql/*"],
              message: "Islands run in the browser: never import src/server or database code.",
            },
          ],
        },
      ],
    },
  },
);
