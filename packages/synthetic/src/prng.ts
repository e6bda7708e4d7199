/**
 * A small deterministic pseudo-random generator for the synthetic data: mulberry32 seeded from a 32-bit integer,
 * with the few helpers the generator needs (integers, picks, weighted picks, shuffles). The same seed always gives
 * the same dataset on every platform, which `Math.random` cannot promise, so test failures can be replayed.
 */
import { seededRandom } from '@mosy/core';

/** A seeded random source. Every method advances the same underlying sequence. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One key of a weight table, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** A shuffled copy of the list (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this one, so adding draws in one part leaves another unchanged. */
  fork(label: string): Rng;
}

/** FNV-1a over a string, to turn labels into seeds. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const tables = new WeakMap<object, { entries: [string, number][]; sum: number }>();

/** A generator seeded with `seed` (any integer; only its low 32 bits matter). */
export function createRng(seed: number): Rng {
  const next = seededRandom(seed);
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
      let table = tables.get(weights);
      if (table === undefined) {
        const list = Object.entries<number>(weights);
        table = { entries: list, sum: list.reduce((s, [, w]) => s + w, 0) };
        tables.set(weights, table);
      }
      const { entries, sum } = table as { entries: [K, number][]; sum: number };
      let r = next() * sum;
      for (const [key, weight] of entries) {
        r -= weight;
        if (r < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork: (label) => createRng((seed ^ hashLabel(label)) >>> 0),
  };
  return rng;
}
