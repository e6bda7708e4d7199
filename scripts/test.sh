#!/usr/bin/env bash
# The one test command (`npm test`, also what .ci/run calls): build, static checks, then every test project.
# Integration and end-to-end tests need real services; deploy/local starts them (installing what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$*"; }

step "build, typecheck, lint"
npx turbo run build typecheck lint --output-logs=errors-only
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "prettier: files above are not formatted (npm run format)"; exit 1; }
npx madge --circular --extensions ts packages/*/src services/*/src >/dev/null || { npx madge --circular --extensions ts packages/*/src services/*/src; exit 1; }

step "unit, integration and end-to-end tests"
npx vitest run
