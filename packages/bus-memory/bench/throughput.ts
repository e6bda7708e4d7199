/**
 * Throughput and freshness of the memory bus on this machine; not run by the tests. Publishes `N` small messages
 * in batches of 1000 from `P` concurrent publishers (as ingest has when requests arrive together) while one
 * consumer group consumes them (default maxBatch 1000), fsync on, and reports messages per second end to end; then
 * measures publish-to-handler latency of single messages at a low rate.
 *
 *   node --conditions=@mosy/source --import tsx packages/bus-memory/bench/throughput.ts [N] [topic] [P]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingMessage, Topic, TopicPayloads } from '@mosy/core';
import { buildDeadLetter, buildSubmissionMessage } from '@mosy/testkit';
import { createMemoryEventBus } from '../src/index.js';

const total = Number(process.argv[2] ?? 500_000);
const topic = (process.argv[3] ?? 'deadletter') as Topic;
const publishers = Number(process.argv[4] ?? 2);
const BATCH = 1000;

function batchOf(start: number): OutgoingMessage<TopicPayloads[Topic]>[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = start + i;
    const value =
      topic === 'submissions'
        ? buildSubmissionMessage({
            record: { recordId: `r${n}`, fields: { sex: 'F', age: n % 90, nat: ['PT'] } },
          })
        : buildDeadLetter({ recordId: `r${n}`, version: n });
    return { key: `prov-a/r${n % 5000}`, value };
  });
}

const dir = await mkdtemp(join(tmpdir(), 'mosy-bench-'));
const bus = await createMemoryEventBus({ dir });
try {
  let consumed = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const sub = await bus.consume(topic, 'bench', (batch) => {
    consumed += batch.length;
    if (consumed >= total) done();
    return Promise.resolve();
  });
  const batches = Array.from({ length: total / BATCH }, (_, i) => batchOf(i * BATCH));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const publisher = async (): Promise<void> => {
    while (next < batches.length) await bus.publish(topic, batches[next++]!);
  };
  await Promise.all(Array.from({ length: publishers }, publisher));
  const published = performance.now();
  await finished;
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUsPerMessage = (cpu.user + cpu.system) / total;
  await sub.stop();
  const stats = bus.stats(topic);
  console.log(
    `${topic}: ${total} messages from ${publishers} publishers, published in ${(published - started).toFixed(0)} ms, consumed by ${(ended - started).toFixed(0)} ms` +
      ` -> ${Math.round(total / ((ended - started) / 1000))} msg/s end to end (${Math.round(stats.bytes / 1024)} KiB on disk after);` +
      ` CPU ${cpuUsPerMessage.toFixed(2)} µs/message (main thread and I/O threads), load average ${os.loadavg()[0]?.toFixed(1)}`,
  );

  const latencies: number[] = [];
  let sentAt = 0;
  let arrived: () => void = () => undefined;
  const fresh = await bus.consume(topic, 'freshness', () => {
    // Only single messages sent below count; the backlog this group starts with does not.
    if (sentAt > 0) {
      latencies.push(performance.now() - sentAt);
      sentAt = 0;
      arrived();
    }
    return Promise.resolve();
  });
  // Let the freshness group catch up on the backlog first (it starts at the log start).
  while ((await bus.lag(topic, 'freshness')) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  for (let i = 0; i < 200; i++) {
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    sentAt = performance.now();
    await bus.publish(topic, batchOf(total + i).slice(0, 1));
    await arrival;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await fresh.stop();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string =>
    (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(2);
  console.log(
    `freshness (publish call -> handler, one message, fsync on): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${pct(1)} ms`,
  );
} finally {
  await bus.close();
  await rm(dir, { recursive: true, force: true });
}
