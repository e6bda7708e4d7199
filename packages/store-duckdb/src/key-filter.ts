/**
 * A Bloom filter of (provider, record id) keys: `mightHave` is false only for a key never added, so a lookup it
 * answers false needs no database read, while a true answer (a key added, or about 1 % of the others) reads as
 * before. The write-behind ledger keeps one of every key with an accepted version, so that the submission of
 * records never seen before (most of them) skips the ledger read. It grows: once as many keys were added as it was
 * sized for, later keys go into a new layer twice as large with half the false positives (a scalable Bloom filter),
 * so the share of false "present" answers stays under about 2 % however many keys come, instead of climbing towards
 * 100 % and silently costing every submission the read again. Pure: no I/O.
 */
/** The first layer's false positives: about 1 % at 9.6 bits per key and 7 probes. */
const FIRST_FALSE_POSITIVES = 0.01;

/** One Bloom filter of a fixed size. */
class Layer {
  readonly bits: Uint32Array;
  readonly size: number;
  readonly probes: number;
  added = 0;

  constructor(
    readonly capacity: number,
    falsePositives: number,
  ) {
    // The optimal sizes: m = -n ln p / (ln 2)², k = (m / n) ln 2.
    const bitsPerKey = -Math.log(falsePositives) / Math.LN2 ** 2;
    this.size = Math.max(64, Math.ceil(capacity * bitsPerKey));
    this.probes = Math.max(1, Math.round(bitsPerKey * Math.LN2));
    this.bits = new Uint32Array(Math.ceil(this.size / 32));
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < this.probes; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % this.size;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.added++;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < this.probes; i++) {
      const bit = ((h1 + Math.imul(i, h2)) >>> 0) % this.size;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

export class KeyFilter {
  /** Oldest first; keys are added to the last. */
  readonly #layers: Layer[];

  /** A filter for `capacity` keys at first; it grows past them. */
  constructor(capacity: number) {
    this.#layers = [new Layer(Math.max(1, capacity), FIRST_FALSE_POSITIVES)];
  }

  add(providerId: string, recordId: string): void {
    let last = this.#layers[this.#layers.length - 1]!;
    if (last.added >= last.capacity) {
      // Twice the keys at half the false positives: the layers' shares add up to at most twice the first's.
      last = new Layer(last.capacity * 2, FIRST_FALSE_POSITIVES / 2 ** this.#layers.length);
      this.#layers.push(last);
    }
    const [h1, h2] = hashes(providerId, recordId);
    last.add(h1, h2);
  }

  mightHave(providerId: string, recordId: string): boolean {
    const [h1, h2] = hashes(providerId, recordId);
    return this.#layers.some((layer) => layer.has(h1, h2));
  }
}

/**
 * The key's two hashes for double hashing (FNV-1a with different seeds: a cryptographic digest per key cost more
 * than the read it saves on large submissions); the length prefix keeps `a|bc` apart from `ab|c`.
 */
function hashes(providerId: string, recordId: string): [number, number] {
  const key = `${providerId.length}:${providerId}${recordId}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return [h1, h2 | 1];
}
