/**
 * Scale-out on the real broker: a second bus instance joining a group mid-stream gets part of the topic's
 * partitions (the first gives them up mid-batch without committing what it has not handled), and when the first
 * stops mid-stream the second takes its partitions over from their committed offsets. Delivery is at least once:
 * every published message is handled, duplicates (the uncommitted tail of a revoked partition) are allowed. Each
 * member is told of every assignment (`onAssigned`) before it gets batches of the partitions it was given.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeadLetter, DeliveredMessage, OutgoingMessage, Subscription } from '@mosy/core';
import { buildDeadLetter } from '@mosy/testkit';
import { createKafkaEventBus } from './kafka-event-bus.js';
import type { KafkaEventBus } from './kafka-event-bus.js';
import { deleteTopics, randomTopics, testOptions } from './test-support.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  waitMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const partitionOf = (m: DeliveredMessage<unknown>): string => m.position.split(':')[0]!;

describe('two instances in one consumer group', () => {
  const buses: KafkaEventBus[] = [];
  const subscriptions: Subscription[] = [];
  let topicsToDelete: string[] = [];
  afterEach(async () => {
    await Promise.allSettled(subscriptions.splice(0).map((s) => s.stop()));
    await Promise.allSettled(buses.splice(0).map((b) => b.close()));
    await deleteTopics(topicsToDelete);
    topicsToDelete = [];
  });

  it(
    'split the partitions, and one takes over from the other without losing a message',
    { timeout: 90_000 },
    async () => {
      const topics = randomTopics();
      topicsToDelete = Object.values(topics);
      const [a, b] = [
        await createKafkaEventBus(testOptions(topics, { clientId: 'scale-a' })),
        await createKafkaEventBus(testOptions(topics, { clientId: 'scale-b' })),
      ];
      buses.push(a, b);
      await a.ensureTopics();
      const group = `scale-${randomUUID()}`;
      const total = 1200;
      const run = randomUUID().slice(0, 8);
      const messages: OutgoingMessage<DeadLetter>[] = Array.from({ length: total }, (_, i) => ({
        key: `prov-${i % 7}/${run}-${i}`,
        value: buildDeadLetter({ recordId: `${run}-${i}`, version: i }),
      }));

      const handled = { a: [] as DeliveredMessage<DeadLetter>[], b: [] as DeliveredMessage<DeadLetter>[] };
      const assigned = { a: 0, b: 0 };
      // The assignments b had been told of when it handled each of its messages.
      const assignedWhenB: number[] = [];
      const slowly =
        (into: DeliveredMessage<DeadLetter>[]) => async (batch: readonly DeliveredMessage<DeadLetter>[]) => {
          const told = assigned.b;
          // Slow enough that the stream is still flowing when the first instance is stopped.
          await sleep(25);
          into.push(...batch);
          if (into === handled.b) assignedWhenB.push(...batch.map(() => told));
        };
      const subA = await a.consume('deadletter', group, slowly(handled.a), {
        maxBatch: 10,
        onAssigned: () => assigned.a++,
      });
      expect(assigned.a).toBeGreaterThan(0);
      subscriptions.push(subA);
      await a.publish('deadletter', messages);
      // b joins while a is in the middle of the stream: a's partitions are revoked mid-batch.
      await eventually('a handling alone', () => handled.a.length >= 50);
      subscriptions.push(
        await b.consume('deadletter', group, slowly(handled.b), {
          maxBatch: 10,
          onAssigned: () => assigned.b++,
        }),
      );
      const aAtJoin = handled.a.length;
      await eventually('both instances handling', () => handled.a.length > aAtJoin && handled.b.length > 0);
      await eventually('half of the stream', () => handled.a.length + handled.b.length >= total / 2);
      const partitionsOfA = new Set(handled.a.slice(aAtJoin + 20).map(partitionOf));
      const partitionsOfB = new Set(handled.b.map(partitionOf));
      // After the rebalance, each partition belongs to one instance only.
      expect([...partitionsOfA].filter((p) => partitionsOfB.has(p))).toEqual([]);
      expect(partitionsOfA.size).toBeGreaterThan(0);

      const assignedBeforeStop = assigned.b;
      await subA.stop();
      const handledByAAtStop = handled.a.length;
      const handledByBAtStop = handled.b.length;
      expect(handledByAAtStop).toBeLessThan(total);
      await eventually('every message handled', () => {
        const seen = new Set([...handled.a, ...handled.b].map((m) => m.value.recordId));
        return seen.size === total;
      });
      expect(handled.a.length).toBe(handledByAAtStop);
      const positions = new Set([...handled.a, ...handled.b].map((m) => m.position));
      expect(positions.size).toBe(total);
      // b took over the partitions a had not finished: it handled messages of a's partitions after the stop.
      const takenOver = new Set(handled.b.slice(handledByBAtStop).map(partitionOf));
      expect([...partitionsOfA].filter((p) => takenOver.has(p)).length).toBeGreaterThan(0);
      // b was told of the assignment that gave it a's partitions before it handled any message of them.
      handled.b.forEach((message, index) => {
        if (index >= handledByBAtStop && partitionsOfA.has(partitionOf(message)))
          expect(assignedWhenB[index]).toBeGreaterThan(assignedBeforeStop);
      });
      await eventually('lag 0', async () => (await b.lag('deadletter', group)) === 0);
      const duplicates = handled.a.length + handled.b.length - total;
      expect(duplicates).toBeGreaterThanOrEqual(0);
      console.info(
        `scale-out: a handled ${handled.a.length}, b ${handled.b.length}, ${duplicates} delivered twice`,
      );
    },
  );
});
