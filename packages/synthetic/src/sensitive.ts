/**
 * The personal data a synthetic dataset sends — identity values as each provider wrote them, and free-text notes
 * (which name people) — for leak checks: none of these strings may appear in anything MoSy stores, logs or
 * answers after the normalizer.
 */
import type { SyntheticDataset } from './types.js';

/** Source fields that hold free text in the synthetic providers' vocabularies. */
const FREE_TEXT_FIELDS = new Set(['observacoes', 'notes', 'resumo']);

/** Every distinct identity value and free-text note sent in the dataset's submissions. */
export function sensitiveValues(dataset: SyntheticDataset): string[] {
  const values = new Set<string>();
  for (const { records } of dataset.submissions) {
    for (const record of records) {
      for (const value of Object.values(record.identity ?? {})) values.add(value);
      for (const [name, value] of Object.entries(record.fields))
        if (FREE_TEXT_FIELDS.has(name) && typeof value === 'string') values.add(value);
    }
  }
  return [...values].sort();
}
