/**
 * Consumer lag: how many messages of a topic a group has not committed yet, from the partitions' watermarks and
 * the group's committed offsets. The backlog the services report as a metric and that tests wait on.
 */
import type { Admin } from 'kafkajs';
import { kafkaError } from './connection.js';

/** The offsets of one partition; Kafka's offsets are decimal strings. */
export interface PartitionOffsets {
  readonly partition: number;
  /** The first offset still in the partition (retention deletes below it). */
  readonly low: string;
  /** The offset the next message will get. */
  readonly high: string;
}

/**
 * Sum over partitions of high watermark minus committed offset. A partition the group never committed counts
 * from its low watermark, and so does one whose commit fell below it (retention deleted those messages: they
 * can no longer be consumed, so they are no backlog).
 */
export function sumLag(
  watermarks: readonly PartitionOffsets[],
  committed: ReadonlyMap<number, string>,
): number {
  let lag = 0;
  for (const { partition, low, high } of watermarks) {
    const lowOffset = Number(low);
    const commit = Number(committed.get(partition) ?? '-1');
    const from = commit < 0 ? lowOffset : Math.max(commit, lowOffset);
    lag += Math.max(0, Number(high) - from);
  }
  return lag;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const retriable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;

/**
 * The lag of `group` on the physical topic `topic`. Transient broker errors (a partition whose leader is moving or
 * not yet serving) are retried for about two seconds before the call rejects with `unavailable`.
 */
export async function groupLag(admin: Admin, topic: string, group: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [watermarks, offsets] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId: group, topics: [topic] }),
      ]);
      const committed = new Map<number, string>();
      for (const entry of offsets) {
        if (entry.topic !== topic) continue;
        for (const p of entry.partitions) committed.set(p.partition, p.offset);
      }
      return sumLag(watermarks, committed);
    } catch (error) {
      if (attempt >= 8 || !retriable(error))
        throw kafkaError(error, `reading the lag of group ${group} on ${topic}`);
      await sleep(50 * attempt);
    }
  }
}
