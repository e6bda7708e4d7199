/**
 * What a distributed run leaves on the shared broker and server: its topics, consumer groups and ClickHouse database,
 * named by the run's environment (`MOSY_TOPIC_*`, `MOSY_GROUP_PREFIX`, `MOSY_CLICKHOUSE_DATABASE`). Removed once
 * its processes stopped, so that repeated runs on one machine do not pile them up.
 */
import kafkajs from 'kafkajs';

export async function removeRunResources(env: Readonly<Record<string, string>>): Promise<void> {
  const topics = Object.entries(env)
    .filter(([name]) => name.startsWith('MOSY_TOPIC_') && name !== 'MOSY_TOPIC_PARTITIONS')
    .map(([, topic]) => topic);
  const groupPrefix = env.MOSY_GROUP_PREFIX;
  const admin = new kafkajs.Kafka({
    clientId: 'mosy-e2e-cleanup',
    brokers: env.MOSY_KAFKA_BROKERS!.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((t) => existing.has(t));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    if (groupPrefix !== undefined && groupPrefix !== '') {
      const groups = (await admin.listGroups()).groups
        .map((g) => g.groupId)
        .filter((g) => g.startsWith(groupPrefix));
      // A member killed with SIGKILL (the crash tests) stays in its group until its session times out, and a
      // group with members cannot be deleted: such a group is left to expire with its offsets.
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
  }
  const database = env.MOSY_CLICKHOUSE_DATABASE!;
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`not a run's database name: ${database}`);
  const response = await fetch(`${env.MOSY_CLICKHOUSE_URL}/`, {
    method: 'POST',
    body: `DROP DATABASE IF EXISTS ${database}`,
  });
  if (!response.ok)
    throw new Error(`ClickHouse: HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
}
