import { writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildNormalizedRecord } from '@mosy/testkit';
import { RECORD_COLUMNS } from '@mosy/sql';
import { recordsToCsv, CSV_SELECT } from '../src/bulk-load.js';
import { migrate } from '../src/migrations.js';
const db = await DuckDBInstance.create('/tmp/duckexp/ex.duckdb', { threads: '2' });
const c = await db.connect();
await migrate(c);
const mk = (off: number, n: number) => recordsToCsv(Array.from({ length: n }, (_, i) => buildNormalizedRecord({ providerId: `prov-${i % 20}`, recordId: `r${off + i}`, personKey: `p:${off + i}`, fields: { exploitation: ['SEX', 'LAB'], citizenship: ['PT'] } })));
const count = Number((await c.runAndReadAll('SELECT count(*) FROM records_current')).getRowsJS()[0]![0]);
if (count === 0) {
  for (let b = 0; b < 10; b++) { await writeFile('/tmp/duckexp/ex.csv', mk(b * 100000, 100000)); await c.run(`INSERT INTO records_current ${CSV_SELECT}`, ['/tmp/duckexp/ex.csv']); }
  await c.run('CHECKPOINT');
}
await writeFile('/tmp/duckexp/ex.csv', mk(5_000_000, 50000));
const SAME = 'records_current.provider_id = s.provider_id AND records_current.record_id = s.record_id';
const UPDATE = `UPDATE records_current SET ${RECORD_COLUMNS.filter((x) => !x.key).map((x) => `${x.name} = s.${x.name}`).join(', ')} FROM staging s WHERE ${SAME} AND s.version > records_current.version`;
const INSERT = `INSERT INTO records_current SELECT * FROM staging s WHERE NOT EXISTS (SELECT 1 FROM records_current WHERE ${SAME})`;
await c.run("PRAGMA enable_profiling = 'query_tree'");
await c.run("PRAGMA profiling_output = '/tmp/duckexp/profile.txt'");
await c.run('BEGIN');
const steps: [string, string, string[]][] = [['stage', `CREATE OR REPLACE TEMP TABLE staging AS ${CSV_SELECT}`, ['/tmp/duckexp/ex.csv']], ['update', UPDATE, []], ['insert', INSERT, []]];
for (const [name, sql, params] of steps) {
  const t = performance.now(); const cpu = process.cpuUsage();
  await c.run(sql, params);
  const u = process.cpuUsage(cpu);
  console.log(name, Math.round(performance.now() - t), 'ms wall', Math.round((u.user + u.system) / 1000), 'ms cpu');
  const { readFile } = await import('node:fs/promises');
  console.log((await readFile('/tmp/duckexp/profile.txt', 'utf8')).split('\n').filter((l) => /│.*(\d+\.\d+s|[A-Z_]{4,})/.test(l)).slice(0, 40).join('\n'));
}
await c.run("PRAGMA disable_profiling");
const t = performance.now(); const cpu = process.cpuUsage();
await c.run('COMMIT');
const u = process.cpuUsage(cpu);
console.log('commit', Math.round(performance.now() - t), 'ms wall', Math.round((u.user + u.system) / 1000), 'ms cpu');
