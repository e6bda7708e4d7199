/**
 * Query results kept for as long as the tables they were read from are unchanged, so that a read asked again with
 * nothing written since costs one small statement instead of its own (a catalogue read is one statement of tens of
 * milliseconds on 18.16), and hands back the same object, so that what a caller derives from it (the report API's
 * disclosure control, `protectOnce`) is kept as well. Exact, not a time-to-live: the writers may be other processes
 * (the aggregator, the counters refresher), so before every read the store asks the server for the state of its
 * tables (`STATE_SQL`): the active parts of every table of the database but those no indicator read reads. One
 * server: the state and the read must see the same parts, which replicas behind one address would not promise.
 *
 * Every change of a MergeTree table's data is a change of its active parts: an insert adds a part, a merge or a
 * mutation replaces parts, TRUNCATE and DROP remove them; and a part's name (partition, block numbers, level,
 * mutation) is not used again in its table, block numbers only growing, so a set of active parts seen once never
 * comes back once it changed. Only a table emptied (TRUNCATE, DROP and CREATE) may number its blocks from 1 again
 * (after a restart of the server, which numbers them from the highest part it finds): its parts are told apart by
 * their modification time too. A result is stored under the state read before its statement ran: the
 * statement took its snapshot of parts after that state, and a later read finds the same state only if nothing
 * changed from that state to its own, so the stored result is what a statement would read then. A state read later
 * than another may not be served what that other read: an entry is kept only while its state is the last seen.
 */
import type { ClickHouseConnection } from './connection.js';

/**
 * Tables that no indicator read reads, written on requests that change no count (an accepted submission, a read
 * of unprotected values, a key issued): left out of the state so that they do not drop every result. Every other
 * table counts, so a table added later that some read reads is in the state without being named here.
 */
export const UNREAD_TABLES: readonly string[] = [
  'accepted_versions',
  'api_keys',
  'audit_log',
  'dead_lettered_versions',
  'linkage_encodings',
  'linkage_regroupings',
  'provider_mappings',
  'providers',
  'quality_events',
  'report_artefacts',
  'report_publications',
  'schema_migrations',
  'submission_receipts',
];

/**
 * The state of the database's read tables: one row per active part, in a stable order. Rows and bytes besides the
 * name and time: a table dropped and created again numbers its parts from 1 again, within the same second in tests.
 */
export const STATE_SQL = `SELECT concat(table, '/', name, '/', toString(toUInt32(modification_time)), '/',
  toString(rows), '/', toString(bytes_on_disk)) AS part
FROM system.parts WHERE database = currentDatabase() AND active
  AND table NOT IN (${UNREAD_TABLES.map((table) => `'${table}'`).join(', ')})
ORDER BY table, name`;

/** Reads the state of the database's read tables, as one string. */
export async function readState(connection: ClickHouseConnection): Promise<string> {
  return (await connection.select(STATE_SQL)).map((row) => String(row.part)).join('\n');
}

/**
 * Kept values are weighed (a query result by its cells): the cache keeps at most `maxWeight` in all, the least
 * recently used dropped first, and never a value heavier than an eighth of it, so that a few large ad-hoc results
 * cannot fill a report API's heap (about 110 bytes of heap per cell, more once protected).
 */
export class ResultCache<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly weight: number }>();
  /** The loads running, by key, each with the state read before it began. */
  readonly #loading = new Map<string, { readonly state: string; readonly value: Promise<V> }>();
  #weight = 0;
  #state: string | undefined;

  constructor(
    private readonly state: () => Promise<string>,
    private readonly weigh: (value: V) => number,
    private readonly maxWeight = 150_000,
  ) {}

  /**
   * The value of `key` as read now: kept when nothing changed since it was read, else the value of a load of `key`
   * running from the same state, else `load`ed; `undefined` is never kept.
   */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const at = await this.state();
    if (at !== this.#state) {
      this.#entries.clear();
      this.#weight = 0;
      this.#state = at;
    }
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    // A read of the same key running from the same state is shared (identical reads right after a write, asked by
    // several clients at once, run one statement): it began after a state read equal to this one's, and a set of
    // parts does not come back once changed, so nothing changed between the two state reads; its statement took its
    // snapshot after the first, so either before this read's state (the same data) or after it, while this read
    // waits: what a statement of this read's own could have read.
    const running = this.#loading.get(key);
    if (running !== undefined && running.state === at) return running.value;
    const loading = { state: at, value: load() };
    this.#loading.set(key, loading);
    let value: V;
    try {
      value = await loading.value;
    } finally {
      if (this.#loading.get(key) === loading) this.#loading.delete(key);
    }
    // Another read may have seen a later state meanwhile: this value may then be older than that state.
    if (value === undefined || this.#state !== at || this.#entries.has(key)) return value;
    const weight = this.weigh(value);
    if (weight > this.maxWeight / 8) return value;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, entry] of this.#entries) {
      if (this.#weight <= this.maxWeight) break;
      this.#entries.delete(oldest);
      this.#weight -= entry.weight;
    }
    return value;
  }
}
