/**
 * The incremental linkage index: it holds encodings (encoder.ts), groups them into persons, and tells the caller,
 * for each encoding added, whether it starts a new person, joins one, or joins and merges several (so the caller can
 * record a revision of the earlier person keys). In memory and pure: no I/O, no clock, deterministic for a given
 * order of additions.
 *
 * Grouping without chaining: a new encoding is compared (score.ts) with the records sharing a blocking key
 * with it. A group qualifies when its best-matching member reaches `linkThreshold` and every one of its members
 * reaches `groupThreshold` (lower): each group stays a set whose members are all pairwise similar, so `A~B`, `B~C`
 * never puts unrelated `A` and `C` together, as single-link (connected components) would. The encoding joins the
 * qualifying group with the best link; a second qualifying group is merged into it only when every pair across the
 * two also reaches `groupThreshold` (the earlier encodings were then split only because the bridging one was
 * missing). The result depends a little on arrival order, as any incremental clustering does.
 *
 * A removed record (a withdrawal, or the earlier version of a re-linked record) leaves its group, its bits are
 * zeroed, and it is skipped in every later comparison: the encoding is gone, only its number stays used. Removing a
 * member never breaks a group's rule (its other members stay pairwise similar).
 */
import { createBlockTable } from './block-table.js';
import type { LinkageEncoding } from './encoder.js';
import { ENCODING_WORDS } from './encoding.js';
import { partCounts, scoreAt } from './score.js';

export interface LinkageOptions {
  /** Dice an encoding must reach with one member of a group to join it. */
  readonly linkThreshold: number;
  /** Dice it must reach with every member of that group (and across merged groups). */
  readonly groupThreshold: number;
  /** Most records visited per blocking key, newest first: bounds the cost of very common names. */
  readonly maxBlockVisits: number;
}

/** Defaults chosen on the synthetic evaluation (docs/linkage.md). */
export const DEFAULT_LINKAGE_OPTIONS: LinkageOptions = {
  linkThreshold: 0.8,
  groupThreshold: 0.75,
  maxBlockVisits: 1000,
};

/** Where an added encoding went. Records and groups are numbered by the index from 0, in order of creation. */
export type LinkageOutcome =
  | { readonly kind: 'new'; readonly record: number; readonly group: number }
  | { readonly kind: 'joined'; readonly record: number; readonly group: number; readonly score: number }
  | {
      readonly kind: 'merged';
      readonly record: number;
      readonly group: number;
      readonly score: number;
      /** Groups merged into `group`; they no longer exist. */
      readonly absorbed: readonly number[];
    };

/** The group an encoding would join, without adding it. */
export interface LinkageMatch {
  readonly group: number;
  readonly score: number;
}

export interface LinkageIndex {
  /** Adds an encoding and places it in a group. */
  add(encoding: LinkageEncoding): LinkageOutcome;
  /** Removes a record: its encoding is erased and it leaves its group (deleted when it was the last member). */
  remove(record: number): void;
  /** The group an encoding would join (the best qualifying one), or undefined for a new person. */
  query(encoding: LinkageEncoding): LinkageMatch | undefined;
  /** The group of a record; -1 for a removed one. */
  groupOf(record: number): number;
  /** The records of a live group, in order of addition. */
  members(group: number): readonly number[];
  /** Records added so far. */
  readonly records: number;
  /** Live groups (persons) so far. */
  readonly groups: number;
  /** Encoding comparisons made so far (the cost measure of blocking). */
  readonly comparisons: number;
}

const REMOVED = -1;

/** An empty linkage index. */
export function createLinkageIndex(options: Partial<LinkageOptions> = {}): LinkageIndex {
  const { linkThreshold, groupThreshold, maxBlockVisits } = { ...DEFAULT_LINKAGE_OPTIONS, ...options };
  const blocks = createBlockTable();
  let bits = new Uint32Array(ENCODING_WORDS * 1024);
  let counts = new Uint16Array(2 * 1024);
  let groupOfRecord = new Int32Array(1024);
  let seen = new Int32Array(1024);
  let stamp = 0;
  let records = 0;
  let nextGroup = 0;
  let comparisons = 0;
  const groupMembers = new Map<number, number[]>();

  const grow = (): void => {
    const size = groupOfRecord.length * 2;
    const moreBits = new Uint32Array(ENCODING_WORDS * size);
    moreBits.set(bits);
    bits = moreBits;
    const moreCounts = new Uint16Array(2 * size);
    moreCounts.set(counts);
    counts = moreCounts;
    const moreGroups = new Int32Array(size);
    moreGroups.set(groupOfRecord);
    groupOfRecord = moreGroups;
    const moreSeen = new Int32Array(size);
    moreSeen.set(seen);
    seen = moreSeen;
  };

  const countsOf = (record: number): readonly [number, number] => [
    counts[2 * record]!,
    counts[2 * record + 1]!,
  ];

  const similarity = (query: Uint32Array, queryCounts: readonly [number, number], record: number): number => {
    comparisons += 1;
    return scoreAt(query, 0, queryCounts, bits, record * ENCODING_WORDS, countsOf(record));
  };

  const between = (a: number, b: number): number => {
    comparisons += 1;
    return scoreAt(bits, a * ENCODING_WORDS, countsOf(a), bits, b * ENCODING_WORDS, countsOf(b));
  };

  /** Qualifying groups for an encoding, best link first. */
  const qualifying = (encoding: LinkageEncoding): LinkageMatch[] => {
    const queryCounts = partCounts(encoding.bits);
    stamp += 1;
    const best = new Map<number, number>();
    for (const key of encoding.probeKeys)
      blocks.visit(key, maxBlockVisits, (record) => {
        if (seen[record] === stamp || groupOfRecord[record] === REMOVED) return;
        seen[record] = stamp;
        const score = similarity(encoding.bits, queryCounts, record);
        const group = groupOfRecord[record]!;
        if (score > (best.get(group) ?? -1)) best.set(group, score);
      });
    const out: LinkageMatch[] = [];
    for (const [group, score] of best) {
      if (score < linkThreshold) continue;
      const members = groupMembers.get(group)!;
      if (members.every((m) => similarity(encoding.bits, queryCounts, m) >= groupThreshold))
        out.push({ group, score });
    }
    // Ties broken by the older group, so the outcome does not depend on Map order.
    return out.sort((a, b) => b.score - a.score || a.group - b.group);
  };

  const compatible = (a: readonly number[], b: readonly number[]): boolean =>
    a.every((x) => b.every((y) => between(x, y) >= groupThreshold));

  return {
    add(encoding) {
      const matches = qualifying(encoding);
      if (records === groupOfRecord.length) grow();
      const record = records;
      records += 1;
      bits.set(encoding.bits.subarray(0, ENCODING_WORDS), record * ENCODING_WORDS);
      counts.set(partCounts(encoding.bits), 2 * record);
      for (const key of encoding.blockKeys) blocks.insert(key, record);
      const [first, ...others] = matches;
      if (first === undefined) {
        const group = nextGroup++;
        groupOfRecord[record] = group;
        groupMembers.set(group, [record]);
        return { kind: 'new', record, group };
      }
      const members = groupMembers.get(first.group)!;
      members.push(record);
      groupOfRecord[record] = first.group;
      const absorbed: number[] = [];
      for (const other of others) {
        const otherMembers = groupMembers.get(other.group)!;
        if (!compatible(members, otherMembers)) continue;
        for (const m of otherMembers) {
          groupOfRecord[m] = first.group;
          members.push(m);
        }
        groupMembers.delete(other.group);
        absorbed.push(other.group);
      }
      members.sort((a, b) => a - b);
      return absorbed.length === 0
        ? { kind: 'joined', record, group: first.group, score: first.score }
        : { kind: 'merged', record, group: first.group, score: first.score, absorbed };
    },
    remove(record) {
      if (record < 0 || record >= records) throw new RangeError(`No record ${record} in the linkage index.`);
      const group = groupOfRecord[record]!;
      if (group === REMOVED) return;
      const members = groupMembers.get(group)!;
      members.splice(members.indexOf(record), 1);
      if (members.length === 0) groupMembers.delete(group);
      groupOfRecord[record] = REMOVED;
      bits.fill(0, record * ENCODING_WORDS, (record + 1) * ENCODING_WORDS);
      counts.fill(0, 2 * record, 2 * record + 2);
    },
    query(encoding) {
      return qualifying(encoding)[0];
    },
    groupOf(record) {
      if (record < 0 || record >= records) throw new RangeError(`No record ${record} in the linkage index.`);
      return groupOfRecord[record]!;
    },
    members(group) {
      return groupMembers.get(group) ?? [];
    },
    get records() {
      return records;
    },
    get groups() {
      return groupMembers.size;
    },
    get comparisons() {
      return comparisons;
    },
  };
}
