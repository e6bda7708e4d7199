// Child process of durability.test.ts: applies batches of new versions, corrections and withdrawals (persons with
// and without identity) to the database at argv[2] without end, saying `begin N` before and `applied N` after each
// apply, until the parent kills it with SIGKILL, most likely inside an apply.
import { buildNormalizedRecord } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: durability-rolling.child.ts <database path>');
const stores = await createDuckDbStores({ path });
const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;
for (let batch = 0; ; batch++) {
  const records = Array.from({ length: 2000 }, (_, i) => {
    const n = batch * 7919 + i * 31;
    return buildNormalizedRecord({
      providerId: pick(['prov-a', 'prov-b'], i),
      recordId: String((batch * 1000 + i) % 3000),
      version: batch + 1,
      action: n % 11 === 0 ? 'withdraw' : 'upsert',
      referenceDate: pick(['2025-12-30', '2026-01', '2026-02-18', '2026', '2026-05-02'], n),
      ...(n % 5 < 2 ? { personKey: `p:${n % 400}` } : {}),
      fields: {
        status: pick(['IDENTIFIED', 'PRESUMED', 'FLAGGED'], n),
        sex: pick(['F', 'M', 'UNK'], n >> 2),
        ageGroup: pick(['0-11', '18-24', 'adult'], n >> 3),
        exploitation: pick([['SEX'], ['LAB', 'SEX'], ['BEG']], n >> 4),
        citizenship: pick([['PT'], ['BR', 'PT']], n >> 5),
        regionOfIdentification: pick(['PT111', 'PT16', 'ES51', 'UNK'], n >> 6),
      },
    });
  });
  process.stdout.write(`begin ${batch}\n`);
  const outcome = await stores.store.apply(records);
  process.stdout.write(`applied ${batch} ${outcome.applied}\n`);
}
