#!/usr/bin/env bash
# `npm test`: everything CI runs, in order, stopping at the first failure.
# lint -> typecheck -> unit and database tests (PGlite always; PostgreSQL too when
# TEST_DATABASE_URL is set) -> build -> server and browser tests against the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASTRO_TELEMETRY_DISABLED=1
mkdir -p test-results

step() { printf '\n=== %s ===\n' "$1"; }

step "lint"
npm run lint --silent

step "typecheck"
npm run typecheck --silent

step "unit and database tests"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "database tests run on PGlite and on PostgreSQL (TEST_DATABASE_URL is set)"
else
  echo "database tests run on PGlite only (set TEST_DATABASE_URL to cover PostgreSQL too)"
fi
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json

step "build"
npm run build --silent

step "server and browser tests"
npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=test-results/e2e.json

step "summary"
node scripts/test-summary.mjs test-results/unit.json test-results/e2e.json
