// The quarterly exports over a real (in-memory) DuckDB store and archive, with hand-made victims whose true counts
// the test computes itself: the SDMX-CSV parses with its documented header, quarters plus year-only records add up
// to the year, citizenship follows Eurostat's precedence, a draft is stored once however often it is asked for,
// and a revision after late data lists exactly the changed cells while the earlier version stays downloadable.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INDICATORS,
  countByCitizenshipGroup,
  diffReportVersions,
  parseQuarter,
  quarterlyTables,
  type NormalizedRecord,
  type ReportCell,
} from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { buildNormalizedRecord, generateDataset } from '@mosy/testkit';
import { countTable } from './count.js';
import { SCHEDULER, createQuarterlyExports, type QuarterlyExports } from './exports.js';

const SEXES = ['F', 'M', 'F', 'X', 'M'];
const CITIZENSHIPS = [['PT', 'BR'], ['ES', 'UA'], ['BR'], ['STLS'], ['UNK'], ['FR'], ['PT'], ['UA', 'STLS']];
const DATES = ['2024-02-10', '2024-05', '2024-08-20', '2024-11-03', '2024', '2024-09-30', '2024-01'];

interface Victim {
  readonly id: string;
  readonly sex: string;
  readonly citizenship: readonly string[];
  readonly date: string;
}

const victims = (n: number, prefix = 'v'): Victim[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    sex: SEXES[i % SEXES.length]!,
    citizenship: CITIZENSHIPS[(i * 3) % CITIZENSHIPS.length]!,
    date: DATES[(i * 5) % DATES.length]!,
  }));

const recordOf = (v: Victim): NormalizedRecord =>
  buildNormalizedRecord({
    providerId: 'police',
    recordId: v.id,
    referenceDate: v.date,
    fields: { status: 'IDENTIFIED', sex: v.sex, citizenship: v.citizenship },
  });

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const coordinator = { keyId: 'key-coordinator', role: 'coordinator' };
const SLOW = 90_000;
/** Victims in the store: enough that the national totals are published whatever the small cells. */
const N = 700;

let stores: DuckDbStores;
let exports: QuarterlyExports;
let clock: number;

beforeEach(async () => {
  stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
  const mapping = generateDataset({ seed: 1, persons: 5, years: [2024] }).providers[0]!.mapping;
  await stores.registry.createProvider(
    { id: 'police', type: 'POLICE', name: 'Police', createdAt: 1 },
    mapping,
  );
  await stores.store.apply(victims(N).map(recordOf));
  clock = Date.parse('2025-01-20T06:00:00Z');
  exports = createQuarterlyExports({
    store: stores.store,
    registry: stores.registry,
    archive: stores.archive,
    audit: stores.audit,
    reportingCountry: 'PT',
    threshold: 5,
    now: () => clock++,
  });
});
afterEach(async () => {
  await stores.close();
});

const spec = (id: string) => quarterlyTables(INDICATORS).find((s) => s.id === id)!;

describe('quarterly counting', () => {
  it('adds the quarters and the records dated only to the year up to the annual figure, before protection', async () => {
    const { table } = await countTable(stores.store, spec('victims.sex'), parseQuarter('2024-Q4'), 'PT');
    const byPeriod = table.margins.filter((m) => Object.keys(m.key).join() === 'period');
    const expected = (period: string) =>
      victims(N).filter((v) =>
        period === '2024-unspecified' ? v.date === '2024' : quarterOfDate(v.date) === period,
      ).length;
    expect(byPeriod.map((m) => [m.key.period, m.value])).toEqual(
      ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2024-unspecified'].map((p) => [p, expected(p)]),
    );
    expect(byPeriod.reduce((sum, m) => sum + m.value, 0)).toBe(N);
    expect(table.total).toBe(N);
    // And by sex: each sex's quarters and year-only bucket add up to its year.
    for (const sex of ['F', 'M', 'UNK']) {
      const year = table.margins.find((m) => m.key.sex === sex && m.key.period === undefined)!.value;
      const parts = table.cells.filter((c) => c.key.sex === sex).reduce((s, c) => s + c.value, 0);
      expect(parts, sex).toBe(year);
    }
  });

  it('counts a person with several citizenships once, by Eurostat precedence', async () => {
    const { table } = await countTable(stores.store, spec('victims.citizen'), parseQuarter('2024-Q4'), 'PT');
    const expected = countByCitizenshipGroup(
      victims(N).map((v) => v.citizenship),
      'PT',
    );
    const year: Record<string, number> = Object.fromEntries(
      table.margins.filter((m) => m.key.period === undefined).map((m) => [m.key.citizen, m.value]),
    );
    expect(year).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
    expect(Object.values(year).reduce((a, b) => a + b, 0)).toBe(N);
  });
});

function quarterOfDate(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

describe('quarterly exports', () => {
  it(
    'stores one draft per quarter however often it is asked for, each artefact with its checksum',
    async () => {
      const outcomes = await Promise.all([
        exports.draft(parseQuarter('2024-Q4'), SCHEDULER),
        exports.draft(parseQuarter('2024-Q4'), SCHEDULER),
      ]);
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      expect((await exports.draft(parseQuarter('2024-Q4'), SCHEDULER)).created).toBe(false);
      const [version] = await exports.list('2024-Q4');
      expect(version).toMatchObject({ period: '2024-Q4', revision: 0, builtBy: 'scheduler' });
      expect(version!.published).toBeUndefined();
      for (const format of ['sdmx-csv', 'csv', 'json', 'metadata-csv', 'metadata-json'] as const) {
        const artefact = await exports.download('2024-Q4', 0, format, coordinator);
        expect(sha256(artefact.content), format).toBe(version!.checksums[format]);
      }
      const actions = (await stores.audit.list()).map(
        (e) => `${e.keyId} ${e.action} ${e.resource} ${e.query}`,
      );
      expect(actions.filter((a) => a.includes('quarterly-build'))).toEqual([
        'scheduler quarterly-build /v1/exports/quarterly/2024-Q4/0 ',
      ]);
      expect(actions.filter((a) => a.includes('quarterly-download'))).toHaveLength(5);
    },
    SLOW,
  );

  it(
    'writes SDMX-CSV that parses with its documented header, national figures under the reporting country',
    async () => {
      await exports.draft(parseQuarter('2024-Q4'), SCHEDULER);
      const { content } = await exports.download('2024-Q4', 0, 'sdmx-csv', coordinator);
      const rows = parse<Record<string, string>>(content, { columns: true });
      const header = content.slice(0, content.indexOf('\r\n')).split(',');
      expect(header.slice(0, 4)).toEqual(['DATAFLOW', 'LAST UPDATE', 'freq', 'unit']);
      expect(header.slice(-5)).toEqual(['geo', 'TIME_PERIOD', 'OBS_VALUE', 'OBS_FLAG', 'CONF_STATUS']);
      expect(header).toEqual(expect.arrayContaining(['sex', 'age', 'citizen', 'exploit']));
      const total = rows.filter(
        (r) =>
          r.DATAFLOW === 'MOSY:THB_VICTIMS(1.0)' &&
          header.slice(4, -5).every((c) => r[c] === (c === 'sex' ? 'T' : 'TOTAL')) &&
          r.geo === 'PT' &&
          r.TIME_PERIOD === '2024',
      );
      expect(total).toEqual([
        expect.objectContaining({ freq: 'A', unit: 'PER', geo: 'PT', OBS_VALUE: String(N) }),
      ]);
      expect(rows.every((r) => r.geo!.startsWith('PT') || r.geo === 'UNK')).toBe(true);
      expect(rows.every((r) => (r.OBS_VALUE === '') === (r.CONF_STATUS === 'C'))).toBe(true);
      expect(new Set(rows.map((r) => r.TIME_PERIOD))).toEqual(
        new Set(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2024']),
      );
      const nat = rows.find(
        (r) =>
          r.DATAFLOW === 'MOSY:THB_VICTIMS(1.0)' &&
          r.citizen === 'NAT' &&
          r.sex === 'T' &&
          r.geo === 'PT' &&
          r.TIME_PERIOD === '2024',
      );
      const expectedNat = countByCitizenshipGroup(
        victims(N).map((v) => v.citizenship),
        'PT',
      ).NAT;
      expect(nat?.OBS_VALUE).toBe(String(expectedNat));
    },
    SLOW,
  );

  it(
    'revises after late data with exactly the changed cells, and keeps the published version downloadable',
    async () => {
      await exports.draft(parseQuarter('2024-Q3'), SCHEDULER);
      await expect(exports.revise('2024-Q3', coordinator)).rejects.toMatchObject({ code: 'conflict' });
      await exports.publish('2024-Q3', 0, coordinator);
      await expect(exports.publish('2024-Q3', 0, coordinator)).rejects.toMatchObject({ code: 'conflict' });
      const published = await exports.download('2024-Q3', 0, 'json', coordinator);
      // Nothing new: no revision.
      expect((await exports.revise('2024-Q3', coordinator)).created).toBe(false);

      await stores.store.apply(
        Array.from({ length: 3 }, (_, i) =>
          recordOf({ id: `late${i}`, sex: 'M', citizenship: ['PT'], date: '2024-08-21' }),
        ),
      );
      const revised = await exports.revise('2024-Q3', coordinator);
      expect(revised.created).toBe(true);
      expect(revised.version).toMatchObject({ revision: 1, builtBy: 'key-coordinator' });
      const before = (JSON.parse(published.content) as { observations: ReportCell[] }).observations;
      const after = (
        JSON.parse((await exports.download('2024-Q3', 1, 'json', coordinator)).content) as {
          observations: ReportCell[];
        }
      ).observations;
      // What differs, found here by comparing the two versions' observations directly.
      const name = (c: ReportCell) => JSON.stringify(Object.entries(c.key).sort());
      const shown = (c: ReportCell | undefined) =>
        c === undefined ? 'absent' : `${c.value}|${c.flag ?? ''}`;
      const beforeByName = new Map(before.map((c) => [name(c), c]));
      const afterByName = new Map(after.map((c) => [name(c), c]));
      const differing = [...new Set([...beforeByName.keys(), ...afterByName.keys()])]
        .filter((n) => shown(beforeByName.get(n)) !== shown(afterByName.get(n)))
        .sort();
      expect(differing.length).toBeGreaterThan(0);
      expect(differing).toContain(name({ key: { indicator: 'victims', period: '2024-Q3' }, value: 0 }));
      const sheet = JSON.parse(
        (await exports.download('2024-Q3', 1, 'metadata-json', coordinator)).content,
      ) as {
        revision: { number: number; previous: number; changes: { key: Record<string, string> }[] };
      };
      expect(sheet.revision).toMatchObject({ number: 1, previous: 0 });
      expect(sheet.revision.changes.map((c) => JSON.stringify(Object.entries(c.key).sort())).sort()).toEqual(
        differing,
      );
      expect(diffReportVersions(before, after).changes).toHaveLength(differing.length);
      // The published version is unchanged and still served, with the checksum it was stored with.
      const again = await exports.download('2024-Q3', 0, 'json', coordinator);
      expect(again.content).toBe(published.content);
      const versions = await exports.list('2024-Q3');
      expect(versions.map((v) => [v.revision, v.published !== undefined])).toEqual([
        [1, false],
        [0, true],
      ]);
      expect(versions[1]!.checksums.json).toBe(sha256(published.content));
      const actions = (await stores.audit.list()).map((e) => `${e.action} ${e.resource}`);
      expect(actions.filter((a) => !a.startsWith('quarterly-download'))).toEqual([
        'quarterly-build /v1/exports/quarterly/2024-Q3/1',
        'quarterly-publish /v1/exports/quarterly/2024-Q3/0',
        'quarterly-build /v1/exports/quarterly/2024-Q3/0',
      ]);
    },
    SLOW,
  );
});
