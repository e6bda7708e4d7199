import { writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildNormalizedRecord } from '@mosy/testkit';
import { RECORD_COLUMNS } from '@mosy/sql';
import { recordsToCsv, CSV_SELECT } from '../src/bulk-load.js';
import { migrate } from '../src/migrations.js';
const db = await DuckDBInstance.create('/tmp/duckexp/ex2.duckdb', { threads: '2' });
const c = await db.connect();
await migrate(c);
const mk = (off: number, n: number, v = 1) => recordsToCsv(Array.from({ length: n }, (_, i) => buildNormalizedRecord({ providerId: `prov-${i % 20}`, recordId: `r${off + i}`, version: v, personKey: `p:${off + i}`, fields: { exploitation: ['SEX', 'LAB'], citizenship: ['PT'] } })));
const exists = (await c.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'pk'")).getRowsJS()[0]![0];
if (Number(exists) === 0) {
  for (let b = 0; b < 10; b++) { await writeFile('/tmp/duckexp/ex2.csv', mk(b * 100000, 100000)); await c.run(`INSERT INTO records_current ${CSV_SELECT}`, ['/tmp/duckexp/ex2.csv']); }
  await c.run(`CREATE TABLE pk AS SELECT * FROM records_current`);
  await c.run(`CREATE UNIQUE INDEX pk_key ON pk (provider_id, record_id)`);
  await c.run('CHECKPOINT');
}
const SAME = (t: string) => `${t}.provider_id = s.provider_id AND ${t}.record_id = s.record_id`;
const UPDATE = (t: string) => `UPDATE ${t} SET ${RECORD_COLUMNS.filter((x) => !x.key).map((x) => `${x.name} = s.${x.name}`).join(', ')} FROM staging s WHERE ${SAME(t)} AND s.version > ${t}.version`;
const INSERT = (t: string) => `INSERT INTO ${t} SELECT * FROM staging s WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE ${SAME(t)})`;
const UPSERT = `INSERT INTO pk ${CSV_SELECT} ON CONFLICT (provider_id, record_id) DO UPDATE SET ${RECORD_COLUMNS.filter((x) => !x.key).map((x) => `${x.name} = excluded.${x.name}`).join(', ')} WHERE excluded.version > pk.version`;
const time = async (label: string, f: () => Promise<unknown>) => { const t = performance.now(); const cpu = process.cpuUsage(); await f(); const u = process.cpuUsage(cpu); console.log(label, Math.round(performance.now() - t), 'ms wall', Math.round((u.user + u.system) / 1000), 'ms cpu'); };
for (const n of (process.env.NS ?? "1000,10000").split(",").map(Number)) {
  for (const [kind, off, v] of [['new', 2_000_000 + n, 1], ['update', 500_000, 2 + n]] as const) {
    await writeFile('/tmp/duckexp/ex2.csv', mk(off, n, v));
    await c.run('BEGIN');
    await time(' stage', () => c.run(`CREATE OR REPLACE TEMP TABLE staging AS ${CSV_SELECT}`, ['/tmp/duckexp/ex2.csv']));
    await time(' delete', () => c.run(`DELETE FROM records_current USING staging s WHERE ${SAME('records_current')} AND s.version > records_current.version`));
    await time(' insert', () => c.run(INSERT('records_current')));
    await time(' commit', () => c.run('COMMIT'));
    console.log(n, kind);
    await writeFile('/tmp/duckexp/ex2.csv', mk(off, n, v + 1));
    if (process.env.SKIP) continue;
    await time(`${n} ${kind} nopk join`, async () => { await c.run('BEGIN'); await c.run(`CREATE OR REPLACE TEMP TABLE staging AS ${CSV_SELECT}`, ['/tmp/duckexp/ex2.csv']); await c.run(UPDATE('records_current')); await c.run(INSERT('records_current')); await c.run('COMMIT'); });
    if (n < 20000) await time(`${n} ${kind} pk upsert`, async () => { await c.run(UPSERT, ['/tmp/duckexp/ex2.csv']); });
    await time(`${n} ${kind} pk join`, async () => { await c.run('BEGIN'); await c.run(`CREATE OR REPLACE TEMP TABLE staging AS ${CSV_SELECT}`, ['/tmp/duckexp/ex2.csv']); await c.run(UPDATE('pk')); await c.run(INSERT('pk')); await c.run('COMMIT'); });
  }
}
