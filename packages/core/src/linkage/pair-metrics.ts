/**
 * Quality of a grouping against the truth, as record-linkage evaluations report it: precision, recall and F1 of the
 * links (pairs of records put in one group), and the number of groups against the number of true persons. Counted
 * from the contingency of (true person, group) in linear time, never by listing pairs.
 */

export interface LinkQuality {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Groups found. */
  readonly groups: number;
  /** True persons. */
  readonly persons: number;
  /** (groups − persons) / persons. */
  readonly personTotalError: number;
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

const pairsWithin = (labels: Iterable<string>): number => {
  const sizes = new Map<string, number>();
  for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  let total = 0;
  for (const size of sizes.values()) total += pairs(size);
  return total;
};

/** Link quality of `found[i]` (the group of record i) against `truth[i]` (its true person). */
export function linkQuality(truth: readonly string[], found: readonly string[]): LinkQuality {
  if (truth.length !== found.length) throw new RangeError('truth and found must label the same records.');
  const truePairs = pairsWithin(truth);
  const foundPairs = pairsWithin(found);
  const bothPairs = pairsWithin(truth.map((t, i) => `${t}\u0000${found[i]!}`));
  const precision = foundPairs === 0 ? 1 : bothPairs / foundPairs;
  const recall = truePairs === 0 ? 1 : bothPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const persons = new Set(truth).size;
  const groups = new Set(found).size;
  return {
    precision,
    recall,
    f1,
    groups,
    persons,
    personTotalError: persons === 0 ? 0 : (groups - persons) / persons,
  };
}
