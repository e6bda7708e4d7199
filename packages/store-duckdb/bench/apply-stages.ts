/**
 * Where the time of one `apply` batch goes (not run by the tests): fills a fresh database file with RECORDS
 * synthetic records through the store, then applies three more batches of BATCH new records stage by stage on a
 * connection of its own, timing each: JavaScript encoding (latest version per key, CSV), writing the file, DuckDB's
 * CSV read into the staging table, the join with the stored keys, the insert and the commit (WAL, fsync, and now
 * and then a checkpoint). The store runs the same statements inside one transaction.
 *
 *   node --conditions=@mosy/source --import tsx packages/store-duckdb/bench/apply-stages.ts
 *   RECORDS=300000 BATCH=10000 … (defaults shown)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { RECORD_COLUMNS } from '@mosy/sql';
import { buildNormalizedRecord } from '@mosy/testkit';
import { CSV_SELECT, recordsToCsv } from '../src/bulk-load.js';
import { createDuckDbStores } from '../src/duckdb-stores.js';
import { latestPerKey } from '../src/indicator-store.js';

const RECORDS = Number(process.env.RECORDS ?? 300_000);
const BATCH = Number(process.env.BATCH ?? 10_000);
const FILL = 50_000;

const record = (index: number) =>
  buildNormalizedRecord({
    providerId: `prov-${index % 20}`,
    providerType: index % 3 === 0 ? 'NGO' : 'POLICE',
    recordId: `case-${index}`,
    referenceDate: '2024-03-04',
    personKey: `r:${index}`,
    fields: {
      status: 'IDENTIFIED',
      sex: index % 2 === 0 ? 'F' : 'M',
      ageGroup: '25-34',
      citizenship: ['PT', 'BR'],
      exploitation: ['SEX'],
      regionOfIdentification: 'PT11',
      regionOfExploitation: 'PT11',
    },
  });

const folder = await mkdtemp(join(tmpdir(), 'mosy-stages-'));
const path = join(folder, 'bench.duckdb');
const stores = await createDuckDbStores({ path, config: { threads: '2' } });
for (let offset = 0; offset < RECORDS; offset += FILL)
  await stores.store.apply(
    Array.from({ length: Math.min(FILL, RECORDS - offset) }, (_, i) => record(offset + i)),
  );
await stores.close();

const instance = await DuckDBInstance.create(path, { threads: '2' });
const connection = await instance.connect();
const names = RECORD_COLUMNS.map((column) => column.name).join(', ');
const timed = async (task: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await task();
  return performance.now() - started;
};
console.log(`${RECORDS} stored records, batches of ${BATCH} new records; ms per stage`);
for (let round = 0; round < 3; round++) {
  const batch = Array.from({ length: BATCH }, (_, i) => record(RECORDS + round * BATCH + i));
  const file = join(folder, `batch-${round}.csv`);
  let csv: Buffer | undefined;
  const stages = {
    encode: await timed(() => {
      csv = recordsToCsv(latestPerKey(batch));
      return Promise.resolve();
    }),
    write: await timed(() => writeFile(file, csv!)),
    stage: await timed(async () => {
      await connection.run('BEGIN');
      await connection.run(
        `CREATE OR REPLACE TEMP TABLE staging AS SELECT *, md5_number_upper(provider_id || '/' || record_id) AS key_hash FROM (${CSV_SELECT})`,
        [file],
      );
    }),
    join: await timed(() =>
      connection.run(
        'CREATE OR REPLACE TEMP TABLE stored AS SELECT s.record_id, c.version FROM staging s LEFT JOIN ' +
          'records_current c ON c.key_hash = s.key_hash AND c.provider_id = s.provider_id AND c.record_id = s.record_id',
      ),
    ),
    insert: await timed(() =>
      connection.run(
        `INSERT INTO records_current (${names}, key_hash) SELECT ${names}, key_hash FROM staging`,
      ),
    ),
    commit: await timed(() => connection.run('COMMIT')),
  };
  const total = Object.values(stages).reduce((sum, ms) => sum + ms, 0);
  console.log(
    Object.entries(stages)
      .map(([stage, ms]) => `${stage} ${ms.toFixed(0)}`)
      .join(', ') + ` — ${((total * 1000) / BATCH).toFixed(1)} µs per record`,
  );
}
connection.closeSync();
instance.closeSync();
await rm(folder, { recursive: true, force: true });
