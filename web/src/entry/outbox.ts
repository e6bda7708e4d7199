/**
 * Records entered while offline wait here, in the browser's IndexedDB (through `idb`), until they can be sent. A
 * waiting record holds what the form held, identity included: that is what the page says is kept while offline.
 * Each is deleted as soon as the server has accepted it (or answered that it already had it), so no identity stays
 * in the browser once accepted; a record the server refused stays with its reasons until it is discarded.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ProblemIssue } from '../problem.js';

export const OUTBOX_DB = 'mosy-entry';
export const OUTBOX_STORE = 'outbox';

export interface WaitingRecord {
  readonly recordId: string;
  /** The provider it was entered for: another provider signing in on this browser does not send it. */
  readonly providerId: string;
  readonly enteredAt: number;
  readonly record: Readonly<Record<string, unknown>>;
  /** Set when the server refused it. */
  readonly issues?: readonly ProblemIssue[];
}

interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: WaitingRecord };
}

let db: Promise<IDBPDatabase<OutboxSchema>> | undefined;
const open = (): Promise<IDBPDatabase<OutboxSchema>> =>
  (db ??= openDB<OutboxSchema>(OUTBOX_DB, 1, {
    upgrade(database) {
      database.createObjectStore(OUTBOX_STORE, { keyPath: 'recordId' });
    },
  }));

export async function waiting(providerId: string): Promise<WaitingRecord[]> {
  const all = await (await open()).getAll(OUTBOX_STORE);
  return all.filter((w) => w.providerId === providerId).sort((a, b) => a.enteredAt - b.enteredAt);
}

export async function keep(record: WaitingRecord): Promise<void> {
  await (await open()).put(OUTBOX_STORE, record);
}

export async function drop(recordIds: readonly string[]): Promise<void> {
  const tx = (await open()).transaction(OUTBOX_STORE, 'readwrite');
  await Promise.all([...recordIds.map((id) => tx.store.delete(id)), tx.done]);
}
