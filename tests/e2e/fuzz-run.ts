/**
 * `npm run fuzz`: schemathesis against every operation of the embedded runtime's OpenAPI document (but the endless
 * live stream), as every kind of caller — no credential, a provider, an analyst, a coordinator, the admin token —
 * on a runtime with the demo data in a temporary folder. Writes a summary JSON (`--out`, default
 * `fuzz-summary.json` in the current folder) and exits 1 when any check failed. Options: `--max-examples N` (100),
 * `--seed N` (20261206), `--phases examples,coverage,fuzzing` (those three).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CHECKS,
  EXCLUDED_OPERATIONS,
  FUZZ_CALLERS,
  SCHEMATHESIS_VERSION,
  ensureSchemathesis,
  runSchemathesis,
  startFuzzTarget,
  type FuzzRunSummary,
} from './lib/schemathesis.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'fuzz-summary.json' },
    'max-examples': { type: 'string', default: '100' },
    seed: { type: 'string', default: '20261206' },
    phases: { type: 'string', default: 'examples,coverage,fuzzing' },
  },
});
const maxExamples = Number(values['max-examples']);
const seed = Number(values.seed);
const phases = values.phases.split(',') as ('examples' | 'coverage' | 'fuzzing' | 'stateful')[];

const st = await ensureSchemathesis();
const target = await startFuzzTarget();
const reports = mkdtempSync(join(tmpdir(), 'mosy-fuzz-reports-'));
const byCaller: Record<string, FuzzRunSummary> = {};
try {
  for (const caller of FUZZ_CALLERS) {
    process.stdout.write(`schemathesis as ${caller}… `);
    const summary = await runSchemathesis({
      st,
      url: target.app.url,
      authorization: target.auth[caller],
      maxExamples,
      phases,
      seed,
      reportDir: join(reports, caller),
    });
    byCaller[caller] = summary;
    process.stdout.write(
      `${summary.testCases} test cases on ${summary.operationsTested} operations in ${summary.seconds} s: ` +
        `${summary.failures.length} kinds of failure, ${summary.toolErrors.length} tool errors\n`,
    );
  }
} finally {
  await target.close();
}

const all = Object.values(byCaller);
const summary = {
  schemathesis: SCHEMATHESIS_VERSION,
  checks: CHECKS,
  excludedOperations: EXCLUDED_OPERATIONS,
  maxExamples,
  seed,
  phases,
  callers: byCaller,
  totals: {
    callers: all.length,
    operationCallerPairs: all.reduce((n, s) => n + s.operationsTested, 0),
    testCases: all.reduce((n, s) => n + s.testCases, 0),
    failures: all.reduce((n, s) => n + s.failures.length, 0),
    toolErrors: all.reduce((n, s) => n + s.toolErrors.length, 0),
  },
};
const out = resolve(values.out);
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`summary: ${out}\n`);
process.exitCode = summary.totals.failures === 0 ? 0 : 1;
