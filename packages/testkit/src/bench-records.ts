/**
 * Deterministic synthetic normalized records for the stores' benchmarks (not a test dataset: no truth to compare
 * with): victims spread over 20 providers, seven years and every date precision, 30% of them sharing a person key
 * with another record, lists of one to five codes, regions at every NUTS level. The same seed gives the same
 * records, so runs compare.
 */
import type { NormalizedRecord, StoreQuery } from '@mosy/core';
import { createRng } from '@mosy/synthetic';
import { buildNormalizedRecord } from './builders.js';

const REGIONS = ['PT111', 'PT112', 'PT16', 'PT17', 'PT1', 'PT', 'ES51', 'ES30', 'DE21', 'FR10', 'BR', 'UNK'];
const AGES = [
  '0-11',
  '12-15',
  '16-17',
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65+',
  'child',
  'adult',
  'UNK',
];

/** A generator of records `case-<index>`; `version` lets a benchmark write later versions of the same records. */
export function benchRecords(
  total: number,
  seed = 42,
): (index: number, version?: number) => NormalizedRecord {
  const rng = createRng(seed);
  const random = (): number => rng.next();
  const pick = <T>(items: readonly T[]): T => rng.pick(items);
  const some = (items: readonly string[]): string[] => {
    const chosen = items.filter(() => random() < 0.3);
    return chosen.length > 0 ? chosen : [pick(items)];
  };
  return (index, version = 1) => {
    const year = 2020 + Math.floor(random() * 7);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    const precision = random();
    const referenceDate =
      precision < 0.8 ? `${year}-${month}-${day}` : precision < 0.95 ? `${year}-${month}` : `${year}`;
    const provider = index % 20;
    return buildNormalizedRecord({
      providerId: `prov-${provider}`,
      providerType: provider % 3 === 0 ? 'NGO' : 'POLICE',
      recordId: `case-${index}`,
      version,
      referenceDate,
      personKey: random() < 0.3 ? `p:${Math.floor(random() * (total / 4))}` : `r:${index}`,
      recordKey: Math.floor(random() * 4294967296),
      fields: {
        status: pick(['IDENTIFIED', 'PRESUMED', 'FLAGGED', 'PENDING', 'NOT_CONFIRMED']),
        sex: pick(['F', 'M', 'X', 'UNK']),
        ageGroup: pick(AGES),
        citizenship: some(['PT', 'BR', 'RO', 'NG', 'UNK']),
        exploitation: some(['SEX', 'LAB', 'BEG', 'CRIM', 'UNK']),
        regionOfIdentification: pick(REGIONS),
        regionOfExploitation: pick(REGIONS),
      },
    });
  };
}

const victim = { kind: 'victim', filters: { status: ['IDENTIFIED', 'PRESUMED'] } } as const;
/** The typical queries both stores' benchmarks time over `benchRecords`. */
export const BENCH_QUERIES: Readonly<Record<string, StoreQuery>> = {
  'total persons': { ...victim, unit: 'persons', by: [] },
  'persons by sex x age class': { ...victim, unit: 'persons', by: ['sex', 'ageClass'] },
  'records by exploitation x citizenship': {
    ...victim,
    unit: 'records',
    by: ['exploitation', 'citizenship'],
  },
  'persons by region (level 2) per quarter, 2025': {
    ...victim,
    unit: 'persons',
    by: ['regionOfIdentification'],
    geoLevel: 2,
    interval: 'quarter',
    from: '2025-01-01',
    to: '2025-12-31',
  },
  'persons per week, PT1, one provider type': {
    kind: 'victim',
    unit: 'persons',
    by: [],
    interval: 'week',
    filters: { regionOfIdentification: ['PT1'], providerType: ['NGO'], status: ['IDENTIFIED', 'PRESUMED'] },
  },
  'records by provider per year': {
    kind: 'victim',
    unit: 'records',
    by: ['providerId'],
    interval: 'year',
    filters: {},
  },
};
