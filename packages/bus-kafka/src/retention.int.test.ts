/**
 * The submissions topic's retention against the real broker: set when the topic is created, and put back by the
 * next service start (every service calls `ensureTopics` as it starts) when it has drifted, without losing the
 * topic's other settings. That the broker then deletes, and keeps the settings across its own restart, is shown
 * end to end in tests/e2e/kafka-retention.test.ts.
 */
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaEventBus } from './kafka-event-bus.js';
import { createTestBus, rawKafka, testOptions } from './test-support.js';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

async function topicSettings(topic: string): Promise<Record<string, string>> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }],
    });
    const own = (resources[0]?.configEntries ?? []).filter(
      (e) => e.configSource === kafkajs.ConfigSource.TOPIC_CONFIG,
    );
    return Object.fromEntries(own.map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

async function alterTopic(topic: string, settings: Record<string, string>): Promise<void> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: kafkajs.ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: Object.entries(settings).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

describe('the submissions and linkage retention on Kafka', { timeout: 60_000 }, () => {
  it('is set at creation and put back by the next service start when it drifted, keeping other settings', async () => {
    const { topics, close } = await createTestBus({ submissionsRetentionMs: 3_600_000 });
    closers.push(close);
    const wanted = { 'retention.ms': '3600000', 'segment.ms': '360000', 'cleanup.policy': 'delete' };
    expect(await topicSettings(topics.submissions)).toEqual({ 'min.insync.replicas': '1', ...wanted });
    expect(await topicSettings(topics.linkage)).toEqual({ 'min.insync.replicas': '1', ...wanted });
    expect(await topicSettings(topics.records)).toEqual({ 'min.insync.replicas': '1' });

    // Someone sets a week's retention by hand, with a compression setting of their own, on both.
    await alterTopic(topics.submissions, { 'retention.ms': '604800000', 'compression.type': 'gzip' });
    await alterTopic(topics.linkage, { 'retention.ms': '604800000' });
    expect(await topicSettings(topics.submissions)).toEqual({
      'retention.ms': '604800000',
      'compression.type': 'gzip',
    });

    // A service (re)starts on the same topics: the retention is back, the compression setting is kept.
    const restarted = await createKafkaEventBus(testOptions(topics, { submissionsRetentionMs: 3_600_000 }));
    closers.push(() => restarted.close());
    await restarted.ensureTopics();
    expect(await topicSettings(topics.submissions)).toEqual({ 'compression.type': 'gzip', ...wanted });
    expect(await topicSettings(topics.linkage)).toEqual(wanted);

    // Nothing to put back: a second start changes nothing.
    await restarted.ensureTopics();
    expect(await topicSettings(topics.submissions)).toEqual({ 'compression.type': 'gzip', ...wanted });
  });
});
