/** The catalogue reads of CKI 1.4 and 1.7a as the API asks them: persons by sex and age group, and by citizenship, per quarter. */
import { REGISTERED_STATUSES, type StoreQuery } from '@mosy/core';

export const CKI_PERSON_READS: readonly StoreQuery[] = [
  {
    kind: 'victim',
    unit: 'persons',
    by: ['sex', 'ageGroup'],
    filters: { status: REGISTERED_STATUSES },
    interval: 'quarter',
    keySums: true,
  },
  {
    kind: 'victim',
    unit: 'persons',
    by: ['citizenship'],
    filters: { status: REGISTERED_STATUSES },
    interval: 'quarter',
    keySums: true,
  },
];
