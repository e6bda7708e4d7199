/**
 * CPU time per record of the embedded pipeline (not run by the tests): starts the standalone runtime on a fresh data
 * folder, registers the synthetic providers, submits their records through `submit` (what the HTTP route calls)
 * in chunks of 5000, and waits until `/v1/status` says idle. Reports the process's CPU time (user + system, every
 * thread, DuckDB's included) from the first submission to idle, divided by the records submitted. Generation and
 * start-up are outside the timed part.
 *
 *   node --conditions=@mosy/source --import tsx services/standalone/bench/pipeline-cpu.ts
 *   PERSONS=20000 … (default shown: about 50 000 records)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, createLogger } from '@mosy/http';
import { generateDataset } from '@mosy/synthetic';
import { startStandalone } from '../src/standalone.js';

const PERSONS = Number(process.env.PERSONS ?? 20_000);
const CHUNK = 5_000;

const dataset = generateDataset({ seed: 7, persons: PERSONS });
const total = dataset.submissions.reduce((sum, s) => sum + s.records.length, 0);
const dir = await mkdtemp(join(tmpdir(), 'mosy-pipeline-bench-'));
const app = await startStandalone({
  dataDir: dir,
  port: 0,
  pseudonymSecret: 'pipeline-bench-secret-0123456789abcdef',
  logger: createLogger({ name: 'bench', level: 'warn' }),
});
try {
  for (const provider of dataset.providers) {
    await app.registry.createProvider(
      { id: provider.id, type: provider.type, name: provider.name, createdAt: Date.now() },
      provider.mapping,
    );
  }
  const { id, key, hash } = generateApiKey('analyst');
  await app.registry.createKey({ id, hash, role: 'analyst', label: 'bench', createdAt: Date.now() });
  const idle = async (): Promise<boolean> => {
    const response = await fetch(`${app.url}/v1/status`, { headers: { authorization: `Bearer ${key}` } });
    return ((await response.json()) as { idle: boolean }).idle;
  };

  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const { providerId, records } of dataset.submissions)
    for (let i = 0; i < records.length; i += CHUNK) await app.submit(providerId, records.slice(i, i + CHUNK));
  const submitted = performance.now();
  while (!(await idle())) await new Promise((resolve) => setTimeout(resolve, 20));
  const wall = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const perRecordUs = (user + system) / total;
  console.log(
    `${total} records: CPU ${((user + system) / 1e6).toFixed(2)} s (user ${(user / 1e6).toFixed(2)}, ` +
      `system ${(system / 1e6).toFixed(2)}), ${perRecordUs.toFixed(1)} µs CPU per record; wall ${(wall / 1e3).toFixed(2)} s ` +
      `(submit ${((submitted - started) / 1e3).toFixed(2)} s)`,
  );
} finally {
  await app.close();
  await rm(dir, { recursive: true, force: true });
}
