/**
 * Prometheus metrics of a service: throughput, rejects, consumer lag (read from the bus when scraped) and store
 * latency. Every service gets its own registry with the default process metrics; labels carry stage and topic
 * names only, never record content.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus, IndicatorStore, Topic } from '@mosy/core';

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Records handled, by outcome (`accepted`, `rejected`, `normalized`, `deadletter`, `applied`, `ignored`). */
  readonly records: Counter<'outcome'>;
  readonly storeSeconds: Histogram<'operation'>;
}

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    records: new Counter({
      name: 'mosy_records_total',
      help: 'Records handled by this service, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    storeSeconds: new Histogram({
      name: 'mosy_store_seconds',
      help: 'Latency of indicator store operations.',
      labelNames: ['operation'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Adds a gauge of the consumer lag of (topic, group), read from the bus when Prometheus scrapes. */
export function watchLag(metrics: ServiceMetrics, bus: EventBus, topic: Topic, group: string): void {
  new Gauge({
    name: 'mosy_consumer_lag',
    help: 'Messages published and not yet committed by the consumer group.',
    labelNames: ['topic', 'group'],
    registers: [metrics.registry],
    async collect() {
      this.set({ topic, group }, await bus.lag(topic, group));
    },
  });
}

/** The store with each operation timed into `mosy_store_seconds`. */
export function timedStore(store: IndicatorStore, metrics: ServiceMetrics): IndicatorStore {
  const time = <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    const end = metrics.storeSeconds.startTimer({ operation });
    return work().finally(() => end());
  };
  const timeliness = store.timeliness?.bind(store);
  const queryParts = store.queryParts?.bind(store);
  const takeOver = store.takeOver?.bind(store);
  return {
    ...(takeOver === undefined ? {} : { takeOver }),
    ...(timeliness === undefined
      ? {}
      : { timeliness: (providerIds) => time('timeliness', () => timeliness(providerIds)) }),
    ...(queryParts === undefined
      ? {}
      : { queryParts: (query, parts) => time('query', () => queryParts(query, parts)) }),
    migrate: () => time('migrate', () => store.migrate()),
    apply: (records) => time('apply', () => store.apply(records)),
    query: (query) => time('query', () => store.query(query)),
    countRecords: () => time('count', () => store.countRecords()),
    close: () => store.close(),
  };
}
