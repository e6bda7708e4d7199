import { describe, expect, it } from 'vitest';
import { resolveConfig } from './options.js';
import { submissionsRetention, topicDefinitions } from './topics.js';

const config = (submissionsRetentionMs?: number) =>
  resolveConfig({
    brokers: ['127.0.0.1:9092'],
    clientId: 'test',
    registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    ...(submissionsRetentionMs === undefined ? {} : { submissionsRetentionMs }),
  });

describe('topic settings', () => {
  it('closes a submissions segment every tenth of the retention, so none outlives 1.1 × the retention', () => {
    expect(submissionsRetention(config())).toEqual([
      { name: 'retention.ms', value: '604800000' },
      { name: 'segment.ms', value: '60480000' },
      { name: 'cleanup.policy', value: 'delete' },
    ]);
    // Never more often than once a minute.
    expect(submissionsRetention(config(5_000))[1]).toEqual({ name: 'segment.ms', value: '60000' });
  });

  it('gives the submissions and linkage topics the retention settings, and the linkage topic one partition', () => {
    const definitions = topicDefinitions(config(3_600_000));
    const retention = ['min.insync.replicas', 'retention.ms', 'segment.ms', 'cleanup.policy'];
    expect(definitions.map((d) => [d.topic, d.numPartitions, d.configEntries?.map((e) => e.name)])).toEqual([
      ['mosy.submissions.v1', 6, retention],
      ['mosy.records.v1', 6, ['min.insync.replicas']],
      ['mosy.deadletter.v1', 6, ['min.insync.replicas']],
      ['mosy.linkage.v1', 1, retention],
    ]);
  });
});
