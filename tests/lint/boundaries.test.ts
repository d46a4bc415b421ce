/**
 * The dependency rule is enforced by ESLint; these cases prove the rule bites, so a
 * config change that silently disables it fails here.
 */
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

// The snippets are not files in the TypeScript project, so type-aware rules are switched off
// for them; the boundary rules under test are syntactic and stay on.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [
    {
      ...tseslint.configs.disableTypeChecked,
      languageOptions: { parserOptions: { projectService: false, project: null } },
    },
  ],
});

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? "parse-error");
}

describe("layer boundaries", () => {
  it.each([
    // source, file it pretends to be, rule that must fire
    [
      'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n',
      "src/core/bad-node.ts",
      "no-restricted-imports",
    ],
    [
      'import { defineCollection } from "astro:content";\nexport const x = defineCollection;\n',
      "src/core/bad-astro.ts",
      "no-restricted-imports",
    ],
    [
      'import { pgTable } from "drizzle-orm/pg-core";\nexport const x = pgTable;\n',
      "src/core/bad-drizzle.ts",
      "no-restricted-imports",
    ],
    [
      'import { PGlite } from "@electric-sql/pglite";\nexport const x = PGlite;\n',
      "src/core/bad-pglite.ts",
      "no-restricted-imports",
    ],
    ['import pg from "pg";\nexport const x = pg;\n', "src/core/bad-pg.ts", "no-restricted-imports"],
    [
      'import { getDb } from "../server/db/client";\nexport const x = getDb;\n',
      "src/core/bad-layer.ts",
      "no-restricted-imports",
    ],
    ["export const w = () => document.title;\n", "src/core/bad-dom.ts", "no-restricted-globals"],
    [
      'import { getDb } from "../server/db/client";\nexport const x = getDb;\n',
      "src/islands/bad-island.tsx",
      "no-restricted-imports",
    ],
    // .astro files are held to the layer rules too.
    [
      '---\nimport { getCurrentUser } from "../../server/auth/session";\nconst u = await getCurrentUser(Astro.request);\n---\n<p>{u?.name}</p>\n',
      "src/components/sessions/Bad.astro",
      "no-restricted-imports",
    ],
    [
      '---\nimport { getCollection } from "astro:content";\nconst m = await getCollection("mats");\n---\n<p>{m.length}</p>\n',
      "src/components/mats/Bad.astro",
      "no-restricted-imports",
    ],
    [
      '---\nimport { listMatSessions } from "../../server/repositories/mat-sessions";\nconst s = listMatSessions;\n---\n<p>{String(s)}</p>\n',
      "src/pages/sessions/bad.astro",
      "no-restricted-imports",
    ],
    [
      '---\nimport { getDb } from "../server/db/client";\nconst d = getDb;\n---\n<p>{String(d)}</p>\n',
      "src/pages/bad.astro",
      "no-restricted-imports",
    ],
    [
      'import { getDb } from "../../server/db/client";\nexport const GET = () => getDb();\n',
      "src/pages/api/bad.ts",
      "no-restricted-imports",
    ],
    [
      '---\nimport { getDb } from "../server/db/client";\nconst d = getDb;\n---\n<p>{String(d)}</p>\n',
      "src/islands/Bad.astro",
      "no-restricted-imports",
    ],
  ])("refuses %j in %s", async (code, file, rule) => {
    expect(await ruleIds(code, file)).toContain(rule);
  });

  it("accepts pure code in src/core", async () => {
    expect(await ruleIds("export const double = (n: number): number => n * 2;\n", "src/core/fine.ts")).toEqual([]);
  });
});

describe("only repositories query the database", () => {
  it.each([
    [
      'import { eq } from "drizzle-orm";\nexport const x = eq;\n',
      "src/server/sessions/bad.ts",
      "no-restricted-imports",
    ],
    [
      'import { user } from "../db/schema";\nexport const x = user;\n',
      "src/server/reminders/bad.ts",
      "no-restricted-imports",
    ],
    ['import { sql } from "drizzle-orm";\nexport const x = sql;\n', "src/server/bad.ts", "no-restricted-imports"],
    ['import { sql } from "drizzle-orm";\nexport const x = sql;\n', "src/middleware.ts", "no-restricted-imports"],
  ])("refuses %j in %s", async (code, file, rule) => {
    expect(await ruleIds(code, file)).toContain(rule);
  });

  it.each([
    [
      'import { eq } from "drizzle-orm";\nimport { user } from "../db/schema";\nexport const x = [eq, user];\n',
      "src/server/repositories/fine.ts",
    ],
    [
      'import { eq } from "drizzle-orm";\nimport { user } from "../db/schema";\nexport const x = [eq, user];\n',
      "src/server/sessions/fine.int.test.ts",
    ],
  ])("accepts %j in %s", async (code, file) => {
    expect(await ruleIds(code, file)).toEqual([]);
  });
});
