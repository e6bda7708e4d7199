// Child process of durability.test.ts: records submissions in the intake ledger (its own file) and applies records
// to the store (the store file) side by side, without end, saying `kept N` once both of the Nth have resolved,
// until the parent kills it with SIGKILL, most likely with writes to both files under way.
import { buildNormalizedRecord, submissionEntry } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: durability-ledger.child.ts <database path>');
const stores = await createDuckDbStores({ path });
for (let n = 0; ; n++) {
  const recordId = `r${n}`;
  await Promise.all([
    stores.ledger.recordSubmission(
      submissionEntry({
        providerId: 'prov-a',
        submissionId: `s${n}`,
        receivedAt: n,
        records: [{ recordId, version: 1 }],
        quality: [{ providerId: 'prov-a', kind: 'unmapped', field: 'sex', value: 'X', count: 1 }],
      }),
    ),
    stores.store.apply([buildNormalizedRecord({ providerId: 'prov-a', recordId })]),
  ]);
  process.stdout.write(`kept ${n}\n`);
}
