#!/usr/bin/env bash
# The one test command (`npm test`, also what .ci/run calls): build, static checks, the real services, then every
# test project in turn (unit, integration, end-to-end), and one closing line with the totals.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$*"; }
results="$(mktemp -d)"

step "build, typecheck, lint"
npx turbo run build typecheck lint --output-logs=errors-only
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "prettier: the files above are not formatted (npm run format)"; exit 1; }
npm run --silent circular >/dev/null || { npm run --silent circular; exit 1; }

step "real services: Kafka, schema registry, ClickHouse, Redis (deploy/local)"
bash deploy/local/up.sh >/dev/null
set -a
# shellcheck disable=SC1091
. "${MOSY_LOCAL_STATE:-/tmp/mosy-local}/env"
set +a

status=0
for project in unit integration e2e; do
  step "tests: $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile="$results/$project.json" || status=1
done

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
    for (const file of r.testResults) {
      for (const t of file.assertionResults.filter((a) => a.status === "failed")) {
        const why = (t.failureMessages[0] ?? "").split("\n")[0].slice(0, 300);
        failures.push(`FAILED ${file.name.replace(process.cwd() + "/", "")} > ${t.fullName}\n  ${why}`);
      }
      if (file.status === "failed" && file.assertionResults.every((a) => a.status !== "failed")) {
        failures.push(`FAILED ${file.name.replace(process.cwd() + "/", "")} (outside any test)\n  ${(file.message ?? "").split("\n")[0].slice(0, 300)}`);
      }
    }
  }
  // Repeated last, so a truncated log still names what failed.
  if (failures.length > 0) console.log("\n" + failures.join("\n"));
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results"
exit "$status"
