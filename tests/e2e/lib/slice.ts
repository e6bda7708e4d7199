/**
 * A part of a synthetic dataset: the same fraction of each provider's records, in send order (so every record's
 * versions stay in order), for tests that submit one part, inject a fault, then submit the rest.
 */
import type { SyntheticDataset } from '@mosy/testkit';

/** Each provider's records from fraction `from` up to `to` (0 ≤ from < to ≤ 1) of its list. */
export function sliceDataset(dataset: SyntheticDataset, from: number, to: number): SyntheticDataset {
  return {
    ...dataset,
    submissions: dataset.submissions.map((s) => ({
      ...s,
      records: s.records.slice(Math.ceil(s.records.length * from), Math.ceil(s.records.length * to)),
    })),
  };
}
