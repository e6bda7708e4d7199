import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_COLUMNS, toRow } from '@mosy/sql';
import { buildNormalizedRecord, normalizedRecordArb } from '@mosy/testkit';
import { CSV_SELECT, recordsToCsv } from './bulk-load.js';

describe('recordsToCsv read back by CSV_SELECT', () => {
  let folder: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'mosy-csv-'));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(async () => {
    connection.disconnectSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  });

  /** The rows DuckDB reads from the CSV of `records`, as plain values keyed by column. */
  async function roundTrip(records: Parameters<typeof recordsToCsv>[0]): Promise<Record<string, unknown>[]> {
    const file = join(folder, 'batch.csv');
    await writeFile(file, recordsToCsv(records));
    const reader = await connection.runAndReadAll(`SELECT * FROM (${CSV_SELECT})`, [file]);
    return reader.getRowObjectsJS().map((row) =>
      Object.fromEntries(
        RECORD_COLUMNS.map(({ name, type }) => {
          const value = row[name];
          if (type === 'int') return [name, Number(value)];
          if (type === 'date') return [name, (value as Date).toISOString().slice(0, 10)];
          return [name, value];
        }),
      ),
    );
  }

  it('gives back exactly toRow of each record, for ids and person keys of any characters', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(normalizedRecordArb(['victim', 'suspect']), text, text), {
          minLength: 1,
          maxLength: 20,
        }),
        async (entries) => {
          const records = entries.map(([record, recordId, personKey]) => ({
            ...record,
            recordId,
            personKey,
          }));
          expect(await roundTrip(records)).toEqual(records.map((record) => ({ ...toRow(record) })));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('keeps empty strings and empty lists apart from NULL', async () => {
    const [row] = await roundTrip([
      buildNormalizedRecord({ action: 'withdraw', recordId: '', personKey: '"' }),
    ]);
    expect(row).toMatchObject({ record_id: '', person_key: '"', sex: '', exploitation: [], withdrawn: true });
  });

  it('refuses a record whose list holds something that is not a code', () => {
    for (const exploitation of [['SEX|LAB'], [''], ['SEX', 'LA"B']]) {
      expect(() => recordsToCsv([buildNormalizedRecord({ fields: { exploitation } })])).toThrow(
        expect.objectContaining({ code: 'invalid-field' }),
      );
    }
  });

  it('refuses malformed dates and versions', () => {
    expect(() => recordsToCsv([buildNormalizedRecord({ periodStart: '2026-3-1' })])).toThrow(
      expect.objectContaining({ code: 'invalid-field' }),
    );
    expect(() => recordsToCsv([buildNormalizedRecord({ version: 1.5 })])).toThrow(
      expect.objectContaining({ code: 'invalid-field' }),
    );
  });
});
