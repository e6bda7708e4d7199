/**
 * Creating the bus's topics. The brokers run with topic auto-creation off, so a deployment creates its topics
 * once, with the partition count that bounds how far a consumer group can scale out and the replication that
 * makes an acknowledged publish survive a broker. The submissions topic gets a short retention because its
 * messages still carry identity (they are pseudonymised only by the normalizer); the linkage topic (one partition,
 * for the one linker) gets the same, because its messages carry the identities' linkage encodings. That retention
 * is a promise, so it is not only set at creation: every service start puts it back on either topic where it has
 * drifted (made by hand, by an older version, or changed since), keeping the topic's other settings. The broker
 * keeps topic settings in its metadata log, so they hold across its restarts.
 */
import kafkajs from 'kafkajs';
import type { Admin, ITopicConfig } from 'kafkajs';
import { kafkaError } from './connection.js';
import { TOPICS } from './options.js';
import type { KafkaBusConfig } from './options.js';

/** The topic definitions `ensureTopics` creates: one per logical topic. */
export function topicDefinitions(config: KafkaBusConfig): ITopicConfig[] {
  // With replicas, acks=all must mean at least two copies, else a publish "durable on all in-sync replicas" may
  // be on one disk only.
  const minInSync = config.replicationFactor >= 3 ? 2 : 1;
  return TOPICS.map((topic) => ({
    topic: config.topics[topic],
    // Linkage happens in one place in one order: one partition, whatever the number of normalizer replicas.
    numPartitions: topic === 'linkage' ? 1 : config.partitions,
    replicationFactor: config.replicationFactor,
    configEntries: [
      { name: 'min.insync.replicas', value: String(minInSync) },
      // The linkage topic's encodings are kept no longer than the submissions' identities.
      ...(topic === 'submissions' || topic === 'linkage' ? submissionsRetention(config) : []),
    ],
  }));
}

/**
 * The retention settings of the submissions topic. The broker deletes whole segments only, once their newest
 * message is past `retention.ms`, and a busy topic's segment closes only at `segment.ms` (7 days by default): so a
 * segment is closed every tenth of the retention, and no message stays more than 1.1 × the retention (plus the
 * broker's retention check interval).
 */
export function submissionsRetention(config: KafkaBusConfig): { name: string; value: string }[] {
  const retention = config.submissionsRetentionMs;
  return [
    { name: 'retention.ms', value: String(retention) },
    { name: 'segment.ms', value: String(Math.max(MIN_SEGMENT_MS, Math.floor(retention / 10))) },
    { name: 'cleanup.policy', value: 'delete' },
  ];
}

/** Closing segments more often than once a minute would only make many small files. */
const MIN_SEGMENT_MS = 60_000;

/**
 * Creates those of the bus's topics that do not exist yet; existing topics are left as they are (their partitions
 * and settings are not changed). Safe to call from several processes at once. Resolves once every partition of the
 * topics has a leader, so that a publish right after it succeeds.
 */
export async function ensureTopics(admin: Admin, config: KafkaBusConfig): Promise<void> {
  const names = TOPICS.map((t) => config.topics[t]);
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicDefinitions(config).filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      // Resolves false (rather than throwing) when another process created a topic in between. Leaders are awaited
      // below: kafkajs's own wait fails when the new topic's metadata has not reached the broker it asks.
      await admin.createTopics({ topics: missing, waitForLeaders: false });
    }
    // Both topics whose messages carry identity or its encodings keep the short retention.
    for (const name of [config.topics.submissions, config.topics.linkage])
      if (existing.has(name)) await restoreShortRetention(admin, config, name);
    await waitForLeaders(admin, names);
  } catch (error) {
    throw kafkaError(error, `creating the topics ${names.join(', ')}`);
  }
}

/**
 * Puts the submissions retention back on an existing topic (submissions, linkage) where any of its settings differ,
 * keeping the topic's other settings (AlterConfigs replaces all of a topic's own settings at once, so they are sent
 * along).
 */
async function restoreShortRetention(admin: Admin, config: KafkaBusConfig, name: string): Promise<void> {
  const wanted = submissionsRetention(config);
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name }],
  });
  const entries = resources[0]?.configEntries ?? [];
  const current = new Map(entries.map((e) => [e.configName, e.configValue]));
  if (wanted.every((w) => current.get(w.name) === w.value)) return;
  const own = entries
    .filter(
      (e) =>
        e.configSource === kafkajs.ConfigSource.TOPIC_CONFIG && !wanted.some((w) => w.name === e.configName),
    )
    .map((e) => ({ name: e.configName, value: e.configValue }));
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name, configEntries: [...own, ...wanted] }],
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every partition of `topics` has a leader that serves it; rejects after `timeoutMs`. */
export async function waitForLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lastError: Error | undefined;
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const ready =
        metadata.length === topics.length &&
        metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      // The metadata names a leader a moment before that broker serves the partition (NOT_LEADER_OR_FOLLOWER):
      // asking each partition's offsets proves it does.
      if (ready) {
        await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
        return;
      }
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE or NOT_LEADER_OR_FOLLOWER while the topic is being created.
      lastError = error instanceof Error ? error : new Error(String(error));
    }
    if (Date.now() > deadline) {
      throw (
        lastError ?? new Error(`the partitions of ${topics.join(', ')} have no leader after ${timeoutMs} ms`)
      );
    }
    await sleep(100);
  }
}
