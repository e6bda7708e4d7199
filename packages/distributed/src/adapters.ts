/**
 * Opens the distributed adapters from the configuration: the Kafka event bus (topics created if missing, schemas
 * registered on first use) and the ClickHouse stores (migrated). Each service opens only what it needs.
 */
import { createKafkaEventBus, type KafkaEventBus } from '@mosy/bus-kafka';
import { createClickHouseStores } from '@mosy/store-clickhouse';
import type { Logger } from '@mosy/http';
import type { DistributedConfig } from './config.js';

export async function openBus(
  config: DistributedConfig,
  clientId: string,
  logger: Logger,
): Promise<KafkaEventBus> {
  const bus = await createKafkaEventBus({
    brokers: config.kafka.brokers,
    clientId,
    registryUrl: config.kafka.registryUrl,
    topics: config.kafka.topics,
    partitions: config.kafka.partitions,
    replicationFactor: config.kafka.replicationFactor,
    consumer: {
      ...(config.kafka.sessionTimeoutMs === undefined
        ? {}
        : { sessionTimeoutMs: config.kafka.sessionTimeoutMs }),
      ...(config.kafka.rebalanceTimeoutMs === undefined
        ? {}
        : { rebalanceTimeoutMs: config.kafka.rebalanceTimeoutMs }),
    },
    logger: logger.child({ component: 'kafka' }),
  });
  await bus.ensureTopics();
  return bus;
}

export async function openStores(config: DistributedConfig) {
  return createClickHouseStores(config.clickhouse);
}

export type ClickHouseStores = Awaited<ReturnType<typeof openStores>>;
