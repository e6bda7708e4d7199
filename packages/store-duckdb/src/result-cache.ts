/**
 * Query results kept for as long as the data they were read from (`DuckDbDatabase.generation`): the same dashboard
 * or catalogue read asked again between two applies is answered without running its statements, and hands back the
 * same object, so what a caller derives from it (the report API's disclosure control) can be kept as well. Exact,
 * not a time-to-live: a result is stored only when it was read wholly between two writes (the generation was the
 * same even number when the read started and when it ended: an odd one means a write is under way, whose commit
 * may land in the middle of the read), and every entry is dropped once the generation moves. Bounded (the least recently used go first), since a caller may ask any number
 * of different valid queries.
 */
export class ResultCache<V> {
  readonly #entries = new Map<string, V>();
  #generation: number;

  constructor(
    private readonly generation: () => number,
    private readonly capacity = 256,
  ) {
    this.#generation = generation();
  }

  /** The value of `key` read at the current generation, `load`ed unless kept; `undefined` is never kept. */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const at = this.generation();
    if (at !== this.#generation) {
      this.#entries.clear();
      this.#generation = at;
    }
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const value = await load();
    if (value !== undefined && at % 2 === 0 && this.generation() === at && this.#generation === at) {
      this.#entries.set(key, value);
      if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return value;
  }
}
