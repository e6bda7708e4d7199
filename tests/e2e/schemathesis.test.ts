/**
 * A bounded schemathesis run in the normal suite (`npm run fuzz` is the long one): every operation of the embedded
 * runtime's document but the endless live stream, as every kind of caller (no credential, provider, analyst,
 * coordinator, admin token), five generated requests per operation and caller (the fuzzing phase), against the
 * runtime with its demo data. No 5xx, and no response that the document does not describe (schema, status, content
 * type, headers).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedApiDocument } from '@mosy/standalone';
import {
  EXCLUDED_OPERATIONS,
  FUZZ_CALLERS,
  ensureSchemathesis,
  runSchemathesis,
  startFuzzTarget,
  type FuzzRunSummary,
  type FuzzTarget,
} from './lib/schemathesis.js';

const MAX_EXAMPLES = 5;
const SEED = 20_261_206;

let st: string;
let target: FuzzTarget;
const reports = mkdtempSync(join(tmpdir(), 'mosy-schemathesis-'));

beforeAll(async () => {
  [st, target] = await Promise.all([ensureSchemathesis(), startFuzzTarget()]);
});

afterAll(async () => {
  await target?.close();
});

describe('schemathesis against the embedded runtime', () => {
  // Schemathesis does not test the operation that serves its input, `/openapi.json` (it reads and validates it).
  const tested =
    Object.values(embeddedApiDocument().paths).flatMap((item) => Object.keys(item as object)).length -
    EXCLUDED_OPERATIONS.length -
    1;

  it('finds no 5xx and no undocumented response, as any caller', async () => {
    // One caller after the other: each schemathesis process is CPU-bound, so running them side by side gains nothing.
    const summaries: FuzzRunSummary[] = [];
    for (const caller of FUZZ_CALLERS)
      summaries.push(
        await runSchemathesis({
          st,
          url: target.app.url,
          authorization: target.auth[caller],
          maxExamples: MAX_EXAMPLES,
          phases: ['fuzzing'],
          seed: SEED,
          reportDir: join(reports, caller),
        }),
      );
    const failures: string[] = [];
    FUZZ_CALLERS.forEach((caller, i) => {
      const summary = summaries[i]!;
      console.info(
        `[schemathesis] ${caller}: ${summary.testCases} test cases on ${summary.operationsTested} operations in ${summary.seconds} s`,
      );
      for (const f of summary.failures)
        failures.push(`${caller}: ${f.check} on ${f.operations.join(', ')} (${summary.outputFile})`);
      for (const e of summary.toolErrors)
        failures.push(`${caller}: schemathesis error ${e} (${summary.outputFile})`);
      expect(summary.operationsTested, caller).toBe(tested);
      expect(summary.testCases, caller).toBeGreaterThan(tested);
    });
    expect(failures).toEqual([]);
  });
});
