/**
 * Back-pressure of the distributed runtime: ingest and report-api as their own processes, with ClickHouse behind a
 * proxy the test can cut. When the bus cannot take a publish (this run's submissions topic is deleted under ingest,
 * so every produce request fails and kafkajs retries) and when the store is unreachable (the proxy is cut), every
 * request must be answered within a bounded time with 503, problem+json `unavailable` and `Retry-After` — never a
 * 500, never a hang — and many concurrent submissions must not pile up: each is answered. Once the dependency is
 * back, the same requests succeed.
 */
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from '@mosy/testkit';
import { createClient, type Client, type Reply } from './lib/client.js';
import { localServiceEnv, startDistributed, type DistributedSystem } from './lib/distributed.js';
import { issueKey, registerProviders } from './lib/load.js';
import { startTcpProxy, type TcpProxy } from './lib/tcp-proxy.js';

const dataset = generateDataset({ seed: 515, persons: 40 });
const provider = dataset.submissions.find(
  (s) => dataset.providers.find((p) => p.id === s.providerId)?.transport === 'json',
)!;

/** Ingest waits at most 15 s for its provider lock and 10 s for a publish; the rest is slack for a busy machine. */
const BOUND_MS = 40_000;

async function timed(
  request: () => Promise<Reply>,
): Promise<{ reply: Reply; ms: number; retryAfter: string | null }> {
  const started = Date.now();
  const reply = await request();
  return { reply, ms: Date.now() - started, retryAfter: reply.headers.get('retry-after') };
}

function expectUnavailable({ reply, ms, retryAfter }: Awaited<ReturnType<typeof timed>>, what: string): void {
  expect(reply.status, `${what}: ${reply.text}`).toBe(503);
  expect(reply.contentType, what).toMatch(/^application\/problem\+json/);
  expect(reply.body, what).toMatchObject({ status: 503, code: 'unavailable' });
  expect(Number(retryAfter), what).toBeGreaterThan(0);
  expect(ms, what).toBeLessThan(BOUND_MS);
}

describe('the distributed runtime when the bus or the store is down', () => {
  let system: DistributedSystem | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    await proxy?.restore();
    await system?.stop();
    await proxy?.close();
  });

  it('answers 503 with Retry-After within a bounded time, and recovers', async () => {
    const env = localServiceEnv();
    proxy = await startTcpProxy(env.MOSY_CLICKHOUSE_URL!);
    system = await startDistributed({ httpOnly: true, env: { MOSY_CLICKHOUSE_URL: proxy.url } });
    const client: Client = createClient(system.url);
    const keys = await registerProviders(client, system.adminToken, dataset);
    const coordinator = (await issueKey(client, system.adminToken, 'coordinator')).key;
    const key = keys.get(provider.providerId)!;
    const submit = (from: number) => () =>
      client.request('POST', '/v1/submissions', {
        key,
        json: { records: provider.records.slice(from, from + 5) },
      });
    const read = () => client.request('GET', '/v1/indicators/victims/values?by=sex', { key: coordinator });
    expect((await submit(0)()).status).toBe(202);

    // The bus: this run's submissions topic disappears under ingest.
    const kafka = new kafkajs.Kafka({
      clientId: 'e2e-backpressure',
      brokers: env.MOSY_KAFKA_BROKERS!.split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [system.topics.submissions] });
      // Concurrent submissions: the first waits for its publish deadline, the others queue behind it or are
      // refused; every one is answered.
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => timed(submit(5 + 5 * i))));
      for (const [i, answer] of answers.entries()) expectUnavailable(answer, `submission ${i} with no topic`);
      expect((await timed(read)).reply.status, 'reads need no bus').toBe(200);

      await admin.createTopics({
        topics: [{ topic: system.topics.submissions, numPartitions: 4 }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    const deadline = Date.now() + 60_000;
    let resumed = await submit(5)();
    while (resumed.status === 503 && Date.now() < deadline) resumed = await submit(5)();
    expect(resumed.status, resumed.text).toBe(202);

    // The store: ClickHouse unreachable for both services.
    await proxy.cut();
    expectUnavailable(await timed(read), 'a read with no ClickHouse');
    expectUnavailable(await timed(submit(45)), 'a submission with no ClickHouse');
    await proxy.restore();
    expect((await read()).status).toBe(200);
    expect((await submit(45)()).status).toBe(202);
  });
});
