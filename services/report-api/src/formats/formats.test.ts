import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvField, type StoreQuery } from '@mosy/core';
import { referenceQuery } from '@mosy/testkit';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { REGISTERED, type PublishedTableBody } from '../test-support/expected.js';
import { toCsv } from './csv.js';
import { dataflowOf, lastUpdateOf, sdmxPeriod } from './sdmx-csv.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ deps: { disclosure: { adHoc: 'suppress' } } });
});
afterAll(async () => {
  await fx.close();
});

const rowsOf = (text: string): Record<string, string>[] =>
  parse<Record<string, string>>(text, { columns: true });

const victims = (query: Partial<StoreQuery>): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: [],
  ...query,
  filters: { status: REGISTERED, ...query.filters },
});

/** Eurostat's codes and the MoSy codes each counts (contract §2); undefined: the total. Not SDMX_RECODE. */
const EUROSTAT_SEX: Readonly<Record<string, string[] | undefined>> = {
  F: ['F'],
  M: ['M'],
  UNK: ['X', 'UNK'],
  T: undefined,
};
const EUROSTAT_AGE: Readonly<Record<string, string[] | undefined>> = {
  Y_LT18: ['child'],
  Y_GE18: ['adult'],
  UNK: ['UNK'],
  TOTAL: undefined,
};

const sortRows = (rows: Record<string, string>[]): Record<string, string>[] =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

const DAY_MS = 86_400_000;
/** The ISO week of a Monday, by the rule that week 1 is the week holding 4 January. */
function isoWeekOfMonday(monday: string): string {
  const day = Date.parse(`${monday}T00:00:00Z`);
  const year = Number(monday.slice(0, 4));
  // A Monday is in the ISO year of its own calendar year or, in late December, of the next one.
  for (const isoYear of [year + 1, year]) {
    const january4 = Date.UTC(isoYear, 0, 4);
    const week1 = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * DAY_MS;
    if (day >= week1) return `${isoYear}-W${String((day - week1) / (7 * DAY_MS) + 1).padStart(2, '0')}`;
  }
  throw new Error(`no ISO week for ${monday}`);
}

describe('CSV', () => {
  it('quotes what needs quoting', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });

  it('renders a simple report with TOTAL margins, equal to the reference', async () => {
    const { status, type, text } = await fx.get(
      '/v1/reports/simple/victims?by=sex&format=csv&protection=none',
      'coordinator',
    );
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/csv/);
    const rows = rowsOf(text);
    const truth = referenceQuery(fx.dataset.truth, victims({ by: ['sex'] }));
    expect(rows).toEqual([
      ...truth.cells.map((c) => ({ sex: c.key.sex!, value: String(c.value), flag: '' })),
      { sex: 'TOTAL', value: String(truth.total), flag: '' },
    ]);
  });

  it('writes withheld values empty with the flag c for analysts', async () => {
    const { text } = await fx.get('/v1/indicators/victims/values?by=citizenship&format=csv', 'analyst');
    const rows = rowsOf(text);
    const withheld = rows.filter((r) => r.value === '');
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld.every((r) => r.flag === 'c')).toBe(true);
    expect(rows.at(-1)!.citizenship).toBe('TOTAL');
  });

  it('renders a total report with persons and records', async () => {
    const { text } = await fx.get(
      '/v1/reports/total/victims?providers=ngo-apoio&format=csv&protection=none',
      'coordinator',
    );
    const rows = rowsOf(text);
    const query = victims({ filters: { providerId: ['ngo-apoio'] } });
    expect(rows.filter((r) => r.providerId === 'TOTAL')).toEqual([
      {
        measure: 'persons',
        providerId: 'TOTAL',
        value: String(referenceQuery(fx.dataset.truth, query).total),
        flag: '',
      },
      {
        measure: 'records',
        providerId: 'TOTAL',
        value: String(referenceQuery(fx.dataset.truth, { ...query, unit: 'records' }).total),
        flag: '',
      },
    ]);
  });
});

describe('SDMX-CSV', () => {
  it('formats the header pieces as Eurostat does', () => {
    expect(lastUpdateOf(new Date(Date.UTC(2026, 4, 22, 11, 0, 5)))).toBe('22/05/26 11:00:05');
    expect(dataflowOf('victims-assisted')).toBe('MOSY:THB_VICTIMS_ASSISTED(1.0)');
  });

  it('writes a year by quarter as quarterly rows and the annual row, each equal to the reference', async () => {
    const quarterly = await fx.get(
      '/v1/reports/time-frame/victims?by=sex,ageClass&interval=quarter&from=2024&to=2024&format=sdmx-csv&protection=none',
      'coordinator',
    );
    expect(quarterly.status).toBe(200);
    expect(quarterly.text.split('\r\n')[0]).toBe(
      'DATAFLOW,LAST UPDATE,freq,sex,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS',
    );
    const rows = rowsOf(quarterly.text);
    expect(new Set(rows.map((r) => r.DATAFLOW))).toEqual(new Set(['MOSY:THB_VICTIMS(1.0)']));
    expect(rows.every((r) => r.geo === 'TOTAL' && r.CONF_STATUS === '' && /^\d+$/.test(r.OBS_VALUE!))).toBe(
      true,
    );
    expect(rows.some((r) => r.TIME_PERIOD!.includes('unspecified'))).toBe(false);
    const quarters = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'];
    const expected: Record<string, string>[] = [];
    for (const [sex, sexCodes] of Object.entries(EUROSTAT_SEX))
      for (const [age, ageCodes] of Object.entries(EUROSTAT_AGE)) {
        const filters = {
          ...(sexCodes === undefined ? {} : { sex: sexCodes }),
          ...(ageCodes === undefined ? {} : { ageClass: ageCodes }),
        };
        const frame = { from: '2024-01-01', to: '2024-12-31', filters };
        const byQuarter = referenceQuery(fx.dataset.truth, victims({ ...frame, interval: 'quarter' }));
        const observations: [string, string, number][] = [
          ...quarters.map((q): [string, string, number] => [
            'Q',
            q,
            byQuarter.cells.find((c) => c.period === q)?.value ?? 0,
          ]),
          ['A', '2024', referenceQuery(fx.dataset.truth, victims(frame)).total],
        ];
        for (const [freq, period, value] of observations)
          if (value > 0) expected.push({ freq, sex, age, TIME_PERIOD: period, OBS_VALUE: String(value) });
      }
    const observed = rows.map((r) => ({
      freq: r.freq!,
      sex: r.sex!,
      age: r.age!,
      TIME_PERIOD: r.TIME_PERIOD!,
      OBS_VALUE: r.OBS_VALUE!,
    }));
    expect(sortRows(observed)).toEqual(sortRows(expected));
    expect(new Set(rows.map((r) => r.freq))).toEqual(new Set(['Q', 'A']));
    expect(new Set(rows.map((r) => r.sex))).toEqual(new Set(Object.keys(EUROSTAT_SEX)));
    expect(new Set(rows.map((r) => r.age))).toEqual(new Set(Object.keys(EUROSTAT_AGE)));
    expect(new Set(rows.map((r) => r.TIME_PERIOD))).toEqual(new Set([...quarters, '2024']));
  });

  it('leaves out the records dated only by year: annual minus the quarters is exactly them', async () => {
    const path = (format: string) =>
      `/v1/reports/time-frame/victims?by=sex&unit=records&interval=quarter&from=2024&to=2024&format=${format}&protection=none`;
    const rows = rowsOf((await fx.get(path('sdmx-csv'), 'coordinator')).text);
    const yearOnly = fx.dataset.truth.filter(
      (t) =>
        !t.withdrawn &&
        t.kind === 'victim' &&
        (REGISTERED as readonly unknown[]).includes(t.fields.status) &&
        t.referenceDate === '2024',
    );
    const sexOf = (t: (typeof yearOnly)[number]) => (typeof t.fields.sex === 'string' ? t.fields.sex : 'UNK');
    expect(yearOnly.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.sex))).toEqual(new Set(Object.keys(EUROSTAT_SEX)));
    for (const [sex, codes] of Object.entries(EUROSTAT_SEX)) {
      const annual = rows.filter((r) => r.sex === sex && r.freq === 'A');
      expect(annual.map((r) => r.TIME_PERIOD)).toEqual(['2024']);
      const sumOfQuarters = rows
        .filter((r) => r.sex === sex && r.freq === 'Q')
        .reduce((n, r) => n + Number(r.OBS_VALUE), 0);
      const datedByYear = yearOnly.filter((t) => codes === undefined || codes.includes(sexOf(t))).length;
      expect(Number(annual[0]!.OBS_VALUE) - sumOfQuarters).toBe(datedByYear);
    }
    // JSON keeps the unspecified bucket, and the quarters with it add up to the year before any protection.
    const json = (await fx.get(path('json'), 'coordinator')).body as PublishedTableBody;
    const byPeriod = json.margins.filter((m) => Object.keys(m.key).join() === 'period');
    expect(byPeriod.map((m) => m.key.period).sort()).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2024-unspecified',
    ]);
    expect(byPeriod.reduce((n, m) => n + m.value!, 0)).toBe(json.total.value);
    expect(byPeriod.find((m) => m.key.period === '2024-unspecified')!.value).toBe(yearOnly.length);
    for (const sex of ['F', 'M', 'X', 'UNK']) {
      const cells = json.cells.filter((c) => c.key.sex === sex);
      const margin = json.margins.find((m) => Object.keys(m.key).join() === 'sex' && m.key.sex === sex);
      expect(cells.reduce((n, c) => n + c.value!, 0)).toBe(margin?.value ?? 0);
    }
  });

  it('refuses a finer interval over anything but one calendar year, before auditing', async () => {
    const before = (await fx.audit.list()).length;
    for (const frame of [
      'from=2023&to=2024',
      'from=2024-02&to=2025-01',
      'from=2024-Q1&to=2024-Q3',
      'to=2024',
    ])
      for (const interval of ['quarter', 'month', 'week', 'day']) {
        const { status, type, body } = await fx.get(
          `/v1/reports/time-frame/victims?interval=${interval}&${frame}&format=sdmx-csv&protection=none`,
          'coordinator',
        );
        expect(status).toBe(400);
        expect(type).toMatch(/^application\/problem\+json/);
        expect(body).toMatchObject({ code: 'invalid-query' });
        expect((body as { detail: string }).detail).toMatch(
          /exactly one calendar year.*same protected table/,
        );
      }
    expect(await fx.audit.list()).toHaveLength(before);
    // The same request in JSON is served, and audited: the count above would have moved.
    const json = await fx.get(
      '/v1/reports/time-frame/victims?interval=quarter&from=2023&to=2024&protection=none',
      'coordinator',
    );
    expect(json.status).toBe(200);
    expect(await fx.audit.list()).toHaveLength(before + 1);
  });

  it('keeps yearly series over several years', async () => {
    const rows = rowsOf(
      (
        await fx.get(
          '/v1/reports/time-frame/victims?interval=year&from=2023&to=2024&format=sdmx-csv&protection=none',
          'coordinator',
        )
      ).text,
    );
    const truth = referenceQuery(
      fx.dataset.truth,
      victims({ from: '2023-01-01', to: '2024-12-31', interval: 'year' }),
    );
    expect(rows.map((r) => [r.freq, r.TIME_PERIOD, Number(r.OBS_VALUE)])).toEqual(
      truth.cells.map((c) => ['A', c.period, c.value]),
    );
  });

  it('writes weeks as ISO weeks', async () => {
    expect(sdmxPeriod('2024-03-11', 'week')).toBe('2024-W11');
    expect(sdmxPeriod('2020-12-28', 'week')).toBe('2020-W53');
    expect(sdmxPeriod('2024-12-30', 'week')).toBe('2025-W01');
    expect(sdmxPeriod('2026-12-28', 'week')).toBe('2026-W53');
    expect(sdmxPeriod('2024-03-14', 'day')).toBe('2024-03-14');
    expect(sdmxPeriod('2024-03', 'month')).toBe('2024-03');
    const rows = rowsOf(
      (
        await fx.get(
          '/v1/reports/time-frame/victims?unit=records&interval=week&from=2024&to=2024&format=sdmx-csv&protection=none',
          'coordinator',
        )
      ).text,
    );
    const frame = victims({ unit: 'records', from: '2024-01-01', to: '2024-12-31' });
    const byMonday = referenceQuery(fx.dataset.truth, { ...frame, interval: 'week' }).cells.filter(
      (c) => !c.period!.endsWith('unspecified'),
    );
    const weekly = rows.filter((r) => r.freq === 'W');
    expect(weekly.every((r) => /^\d{4}-W\d{2}$/.test(r.TIME_PERIOD!))).toBe(true);
    expect(new Map(weekly.map((r) => [r.TIME_PERIOD, Number(r.OBS_VALUE)]))).toEqual(
      new Map(byMonday.map((c) => [isoWeekOfMonday(c.period!), c.value])),
    );
    const annual = rows.filter((r) => r.freq === 'A');
    expect(annual.map((r) => r.TIME_PERIOD)).toEqual(['2024']);
    const lessThanDays = fx.dataset.truth.filter(
      (t) =>
        !t.withdrawn &&
        t.kind === 'victim' &&
        (REGISTERED as readonly unknown[]).includes(t.fields.status) &&
        t.referenceDate.startsWith('2024') &&
        t.referenceDate.length < 10,
    ).length;
    expect(lessThanDays).toBeGreaterThan(0);
    expect(Number(annual[0]!.OBS_VALUE) - weekly.reduce((n, r) => n + Number(r.OBS_VALUE), 0)).toBe(
      lessThanDays,
    );
    expect(Number(annual[0]!.OBS_VALUE)).toBe(referenceQuery(fx.dataset.truth, frame).total);
  });

  it('keeps ISO citizenship codes without a reporting country; JSON never regroups', async () => {
    const path = (format: string) =>
      `/v1/reports/simple/victims?by=citizenship&from=2024&to=2024&format=${format}&protection=none`;
    const rows = rowsOf((await fx.get(path('sdmx-csv'), 'coordinator')).text);
    const truth = referenceQuery(
      fx.dataset.truth,
      victims({ by: ['citizenship'], from: '2024-01-01', to: '2024-12-31' }),
    );
    expect(rows.map((r) => [r.citizen, Number(r.OBS_VALUE)])).toEqual([
      ...truth.cells.map((c) => [c.key.citizenship, c.value]),
      ['TOTAL', truth.total],
    ]);
    const json = (await fx.get(path('json'), 'coordinator')).body as PublishedTableBody;
    expect(json.cells.map((c) => c.key.citizenship)).toEqual(truth.cells.map((c) => c.key.citizenship));
  });

  it('gives geo codes and exploitation groups, and flags withheld values C for analysts', async () => {
    const { status, text } = await fx.get(
      '/v1/reports/geo/victims?by=exploitation&level=0&from=2024&to=2024&format=sdmx-csv',
      'analyst',
    );
    expect(status).toBe(200);
    const rows = rowsOf(text);
    expect(text.split('\r\n')[0]).toBe(
      'DATAFLOW,LAST UPDATE,freq,exploit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS',
    );
    expect(new Set(rows.map((r) => r.freq))).toEqual(new Set(['A']));
    for (const r of rows)
      expect(['EXP_SEX', 'EXP_LAB', 'EXP_ORG', 'EXP_OTH', 'UNK', 'TOTAL']).toContain(r.exploit);
    expect(rows.some((r) => r.geo === 'PT')).toBe(true);
    const withheld = rows.filter((r) => r.OBS_VALUE === '');
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld.every((r) => r.CONF_STATUS === 'C')).toBe(true);
    const labour = referenceQuery(
      fx.dataset.truth,
      victims({
        from: '2024-01-01',
        to: '2024-12-31',
        filters: { exploitation: ['LAB', 'SLAV'], regionOfIdentification: ['PT'] },
      }),
    ).total;
    const row = rows.find((r) => r.exploit === 'EXP_LAB' && r.geo === 'PT')!;
    expect(labour).toBeGreaterThan(0);
    if (row.OBS_VALUE !== '') expect(Number(row.OBS_VALUE)).toBe(labour);
    if (labour < 5) expect(row.OBS_VALUE).toBe('');
  });

  it('needs a period', async () => {
    expect((await fx.get('/v1/reports/simple/victims?by=sex&format=sdmx-csv', 'analyst')).status).toBe(400);
  });
});
