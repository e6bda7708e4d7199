/** @mosy/bus-kafka: the EventBus port on Apache Kafka (kafkajs), Avro-encoded through a Confluent-compatible schema registry. */
export { createKafkaEventBus } from './kafka-event-bus.js';
export type { KafkaEventBus } from './kafka-event-bus.js';
export { DEFAULT_TOPIC_NAMES, SASL_MECHANISMS, resolveConfig } from './options.js';
export type {
  KafkaBusConfig,
  KafkaBusLogger,
  KafkaConsumerTiming,
  KafkaEventBusOptions,
  KafkaSaslMechanism,
  KafkaSaslOptions,
  RegistryAuth,
  TopicNames,
} from './options.js';
export { createSchemaRegistryClient, valueSubject } from './schema-registry.js';
export type { SchemaRegistryClient } from './schema-registry.js';
export { fromWire, toWire } from './wire-format.js';
export type { WireMessage } from './wire-format.js';
