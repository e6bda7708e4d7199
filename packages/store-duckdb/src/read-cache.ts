/**
 * A read-through cache for rows that only this process writes. The embedded runtime holds the DuckDB file alone
 * (DuckDB locks it), and every write to the cached tables goes through the adapter that owns the cache, so the
 * cache can be exact: each such write is wrapped in `writing`, which drops every entry before the write starts and
 * again once it has ended. A read stores what it read only if no write started or ended meanwhile (the generation
 * did not move), so a read that overlapped a write can never leave the older value behind. Misses are not stored
 * (a caller could otherwise fill the cache with made-up keys).
 */
export class ReadCache<V> {
  readonly #entries = new Map<string, V>();
  #generation = 0;

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit;
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && generation === this.#generation) this.#entries.set(key, value);
    return value;
  }

  /** Runs a write to the cached rows, with every entry dropped before it starts and after it ends. */
  async writing<T>(write: () => Promise<T>): Promise<T> {
    this.#drop();
    try {
      return await write();
    } finally {
      this.#drop();
    }
  }

  #drop(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
