import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { COUNTRIES, EU_MEMBERS, type StoreQuery } from '@mosy/core';
import { referenceQuery } from '@mosy/testkit';
import { createAuthenticator } from '@mosy/http';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { REGISTERED, type PublishedTableBody } from '../test-support/expected.js';
import { createReportApi } from '../app.js';

const REPORTING_COUNTRY = 'PT';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ deps: { reportingCountry: REPORTING_COUNTRY } });
});
afterAll(async () => {
  await fx.close();
});

const rowsOf = (text: string): Record<string, string>[] =>
  parse<Record<string, string>>(text, { columns: true });

const victims2024 = (query: Partial<StoreQuery>): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: [],
  from: '2024-01-01',
  to: '2024-12-31',
  ...query,
  filters: { status: REGISTERED, ...query.filters },
});

/** Eurostat's citizenship groups relative to Portugal, as the ISO codes each counts (contract §2). */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  NAT: [REPORTING_COUNTRY],
  EU27_2020_FOR: [...EU_MEMBERS].filter((c) => c !== REPORTING_COUNTRY),
  NEU27_2020_FOR: Object.keys(COUNTRIES).filter((c) => !EU_MEMBERS.has(c) && c !== REPORTING_COUNTRY),
  STLS: ['STLS'],
  UNK: ['UNK'],
};

describe('SDMX-CSV citizenship groups relative to the reporting country', () => {
  it('counts each group as distinct persons holding any of its citizenships; the total is unchanged', async () => {
    const { status, text } = await fx.get(
      '/v1/reports/simple/victims?by=citizenship&from=2024&to=2024&format=sdmx-csv&protection=none',
      'coordinator',
    );
    expect(status).toBe(200);
    expect(text.split('\r\n')[0]).toBe(
      'DATAFLOW,LAST UPDATE,freq,citizen,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS',
    );
    const rows = rowsOf(text);
    const expected = Object.entries(GROUPS)
      .map(([group, codes]): [string, number] => [
        group,
        referenceQuery(fx.dataset.truth, victims2024({ filters: { citizenship: codes } })).total,
      ])
      .filter(([, value]) => value > 0);
    const total = referenceQuery(fx.dataset.truth, victims2024({})).total;
    expect(new Map(rows.map((r) => [r.citizen, Number(r.OBS_VALUE)]))).toEqual(
      new Map([...expected, ['TOTAL', total]]),
    );
    expect(rows).toHaveLength(expected.length + 1);
    for (const group of ['NAT', 'EU27_2020_FOR', 'NEU27_2020_FOR', 'UNK'])
      expect(expected.map(([g]) => g)).toContain(group);
    expect(rows.every((r) => r.freq === 'A' && r.TIME_PERIOD === '2024' && r.geo === REPORTING_COUNTRY)).toBe(
      true,
    );
    // A person with citizenships in two groups counts in both: the groups exceed the total by the extra groups.
    const groupsOf = new Map<string, Set<string>>();
    for (const t of fx.dataset.truth) {
      const registered = (REGISTERED as readonly unknown[]).includes(t.fields.status);
      if (t.withdrawn || t.kind !== 'victim' || !registered || t.referenceDate.slice(0, 4) !== '2024')
        continue;
      const codes = t.fields.citizenship;
      const held = Array.isArray(codes) ? codes : [typeof codes === 'string' ? codes : 'UNK'];
      const groups = groupsOf.get(t.personKey) ?? new Set<string>();
      for (const [group, members] of Object.entries(GROUPS))
        if (held.some((c) => members.includes(c))) groups.add(group);
      groupsOf.set(t.personKey, groups);
    }
    const extra = [...groupsOf.values()].reduce((n, groups) => n + groups.size - 1, 0);
    expect(groupsOf.size).toBe(total);
    expect(extra).toBeGreaterThan(0);
    expect(expected.reduce((n, [, value]) => n + value, 0)).toBe(total + extra);
  });

  it('groups the quarterly series too, with the annual observation', async () => {
    const rows = rowsOf(
      (
        await fx.get(
          '/v1/reports/time-frame/victims?by=citizenship&interval=quarter&from=2024&to=2024&format=sdmx-csv&protection=none',
          'coordinator',
        )
      ).text,
    );
    for (const [group, codes] of Object.entries(GROUPS)) {
      const query = victims2024({ filters: { citizenship: codes } });
      const quarters = referenceQuery(fx.dataset.truth, { ...query, interval: 'quarter' }).cells.filter(
        (c) => !c.period!.endsWith('unspecified'),
      );
      const annual = referenceQuery(fx.dataset.truth, query).total;
      expect(
        rows.filter((r) => r.citizen === group).map((r) => [r.freq, r.TIME_PERIOD, Number(r.OBS_VALUE)]),
      ).toEqual([
        ...quarters.map((c) => ['Q', c.period, c.value]),
        ...(annual > 0 ? [['A', '2024', annual]] : []),
      ]);
    }
  });

  it('leaves JSON and CSV in ISO codes', async () => {
    const path = (format: string) =>
      `/v1/reports/simple/victims?by=citizenship&from=2024&to=2024&format=${format}&protection=none`;
    const truth = referenceQuery(fx.dataset.truth, victims2024({ by: ['citizenship'] }));
    const json = (await fx.get(path('json'), 'coordinator')).body as PublishedTableBody;
    expect(json.cells.map((c) => [c.key.citizenship, c.value])).toEqual(
      truth.cells.map((c) => [c.key.citizenship, c.value]),
    );
    const csv = rowsOf((await fx.get(path('csv'), 'coordinator')).text);
    expect(csv.map((r) => r.citizenship)).toEqual([...truth.cells.map((c) => c.key.citizenship), 'TOTAL']);
  });

  it('refuses a reporting country that is not an ISO code', () => {
    const deps = {
      store: fx.stores.store,
      registry: fx.stores.registry,
      authenticate: createAuthenticator({ registry: fx.stores.registry }),
      pipelineStatus: () => Promise.resolve({ idle: true, stages: {} }),
      audit: fx.audit,
    };
    expect(() => createReportApi({ ...deps, reportingCountry: 'EL' })).toThrow(/ISO 3166-1 alpha-2.*"EL"/);
    expect(() => createReportApi({ ...deps, reportingCountry: 'GR' })).not.toThrow();
  });
});
