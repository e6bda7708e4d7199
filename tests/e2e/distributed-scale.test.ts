/**
 * Scale-out and crashes on the distributed runtime: two normalizers and two aggregators in the same consumer groups
 * split the topics' partitions (each replica handles records); then, while the second half of the dataset streams
 * in, one normalizer is stopped and started again, one aggregator and the other normalizer are killed with SIGKILL
 * and restarted. Once idle, every count equals the reference computation: nothing lost, nothing counted twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { createClient } from './lib/client.js';
import { compareIndicators, fetchCatalogue } from './lib/compare-all.js';
import { startDistributed, type DistributedSystem, type ServiceProcess } from './lib/distributed.js';
import { issueKey, registerProviders, submitAll, waitIdle } from './lib/load.js';

const dataset = generateDataset({ seed: 4242, persons: 900 });

/** The first or second half of each provider's records, in send order (versions stay in order per record). */
function half(which: 0 | 1): SyntheticDataset {
  return {
    ...dataset,
    submissions: dataset.submissions.map((s) => {
      const cut = Math.ceil(s.records.length / 2);
      return { ...s, records: which === 0 ? s.records.slice(0, cut) : s.records.slice(cut) };
    }),
  };
}

async function handled(service: ServiceProcess, outcome: string): Promise<number> {
  const text = await service.metrics();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('mosy_records_total{') && l.includes(`outcome="${outcome}"`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('the distributed runtime scaled out, with replicas stopped and killed mid-stream', () => {
  let system: DistributedSystem | undefined;
  afterAll(async () => system?.stop());

  it('splits partitions across replicas and keeps every count exact through restarts and SIGKILLs', async () => {
    system = await startDistributed({ normalizers: 2, aggregators: 2, partitions: 4 });
    const client = createClient(system.url);
    const keys = await registerProviders(client, system.adminToken, dataset);
    const coordinator = (await issueKey(client, system.adminToken, 'coordinator')).key;

    await submitAll(client, half(0), keys);
    await waitIdle(client, coordinator);
    const normalizers = system.services.filter((s) => s.name === 'normalizer');
    const aggregators = system.services.filter((s) => s.name === 'aggregator');
    expect(normalizers).toHaveLength(2);
    expect(aggregators).toHaveLength(2);
    for (const n of normalizers) expect(await handled(n, 'normalized'), n.logFile).toBeGreaterThan(0);
    for (const a of aggregators) expect(await handled(a, 'applied'), a.logFile).toBeGreaterThan(0);

    const [n1, n2] = normalizers as [ServiceProcess, ServiceProcess];
    const [a1] = aggregators as [ServiceProcess];
    const streaming = submitAll(client, half(1), keys);
    await sleep(300);
    await n1.stop();
    await a1.kill();
    await sleep(1000);
    await a1.restart();
    await n2.kill();
    await n1.restart();
    await n2.restart();
    const load = await streaming;
    expect(load.rejections).toEqual([]);

    const status = await waitIdle(client, coordinator);
    expect(status.records).toBe(dataset.truth.filter((t) => !t.withdrawn).length);
    const catalogue = await fetchCatalogue(client, coordinator);
    const report = await compareIndicators(
      client,
      coordinator,
      catalogue,
      dataset,
      [...dataset.truth],
      'cki',
    );
    expect(report.problems).toEqual([]);
  });
});
