/**
 * Opens the distributed adapters from the configuration: the Kafka event bus (topics created if missing, schemas
 * registered on first use) and the ClickHouse stores (migrated). Each service opens only what it needs.
 */
import { createKafkaEventBus, type KafkaEventBus, type KafkaEventBusOptions } from '@mosy/bus-kafka';
import { createClickHouseStores } from '@mosy/store-clickhouse';
import type { Logger } from '@mosy/http';
import type { DistributedConfig } from './config.js';

/** The bus options of a service named `clientId`: everything the configuration says about Kafka and the registry. */
export function busOptions(
  config: DistributedConfig,
  clientId: string,
  logger: Logger,
): KafkaEventBusOptions {
  const { kafka } = config;
  return {
    brokers: kafka.brokers,
    clientId,
    registryUrl: kafka.registryUrl,
    ssl: kafka.ssl,
    ...(kafka.sasl ? { sasl: kafka.sasl } : {}),
    ...(kafka.registryAuth ? { registryAuth: kafka.registryAuth } : {}),
    topics: kafka.topics,
    partitions: kafka.partitions,
    replicationFactor: kafka.replicationFactor,
    ...(kafka.submissionsRetentionMs === undefined
      ? {}
      : { submissionsRetentionMs: kafka.submissionsRetentionMs }),
    consumer: {
      ...(kafka.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: kafka.sessionTimeoutMs }),
      ...(kafka.rebalanceTimeoutMs === undefined ? {} : { rebalanceTimeoutMs: kafka.rebalanceTimeoutMs }),
    },
    logger: logger.child({ component: 'kafka' }),
  };
}

/** The bus, its topics ensured; a service whose consumers dead-letter passes where to mark the dead letters. */
export async function openBus(
  config: DistributedConfig,
  clientId: string,
  logger: Logger,
  onDeadLetters?: KafkaEventBusOptions['onDeadLetters'],
): Promise<KafkaEventBus> {
  const bus = await createKafkaEventBus({
    ...busOptions(config, clientId, logger),
    ...(onDeadLetters === undefined ? {} : { onDeadLetters }),
  });
  await bus.ensureTopics();
  return bus;
}

/** The ClickHouse stores, migrated; `logger` is told when the rolling counts could not be built. */
export async function openStores(config: DistributedConfig, logger?: Logger) {
  return createClickHouseStores({ ...config.clickhouse, ...(logger === undefined ? {} : { logger }) });
}

export type ClickHouseStores = Awaited<ReturnType<typeof openStores>>;
