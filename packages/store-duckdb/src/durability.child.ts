// Child process of durability.test.ts: applies batches to the database at argv[2], reports each on stdout once
// apply has resolved, then idles until the parent kills it with SIGKILL (no close, no checkpoint).
import { buildNormalizedRecord } from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: durability.child.ts <database path>');
const stores = await createDuckDbStores({ path });
for (let batch = 0; batch < 3; batch++) {
  const records = Array.from({ length: 1000 }, (_, i) =>
    buildNormalizedRecord({ recordId: `b${batch}-${i}`, fields: { sex: i % 2 === 0 ? 'F' : 'M' } }),
  );
  const outcome = await stores.store.apply(records);
  process.stdout.write(`applied ${batch} ${outcome.applied}\n`);
}
await stores.store.apply([buildNormalizedRecord({ recordId: 'b0-0', version: 2, action: 'withdraw' })]);
await stores.registry.createProvider(
  { id: 'prov-a', type: 'POLICE', name: 'A', createdAt: 1 },
  { format: 'mosy-mapping/1', fields: {} },
);
process.stdout.write('done\n');
setInterval(() => undefined, 60_000);
