/** @mosy/bus-memory: the EventBus port as a durable in-process log, for the standalone deployment. */
export { createMemoryEventBus } from './memory-event-bus.js';
export type { MemoryEventBus, MemoryEventBusOptions } from './memory-event-bus.js';
export type { ErrorContext } from './consumer.js';
export type { LogStats } from './topic-log.js';
export { inspectLog } from './inspect.js';
export type { LogSnapshot } from './inspect.js';
export { openFileJournal } from './journal.js';
export type { FileJournal, FileJournalOptions } from './journal.js';
