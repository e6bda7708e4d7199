import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreQuery } from '@mosy/core';
import { periodBoundsOf, referenceQuery } from '@mosy/testkit';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import {
  REGISTERED,
  entryId,
  expectedTable,
  lines,
  publishedTable,
  type PublishedTableBody,
} from '../test-support/expected.js';
import { previousPeriod } from './time-frame.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ deps: { disclosure: { adHoc: 'suppress' } } });
});
afterAll(async () => {
  await fx.close();
});

const victims = (query: Partial<StoreQuery>): StoreQuery => ({
  kind: 'victim',
  unit: 'persons',
  by: [],
  ...query,
  filters: { status: REGISTERED, ...query.filters },
});

async function coordinator(path: string): Promise<PublishedTableBody & Record<string, unknown>> {
  const { status, body, text } = await fx.get(`${path}&protection=none`, 'coordinator');
  expect(status, text).toBe(200);
  return body as PublishedTableBody & Record<string, unknown>;
}

describe('simple reports, unprotected, equal the reference', () => {
  const cases: [string, StoreQuery][] = [
    ['/v1/reports/simple/victims?by=sex', victims({ by: ['sex'] })],
    ['/v1/reports/simple/victims?by=sex,ageClass', victims({ by: ['sex', 'ageClass'] })],
    [
      '/v1/reports/simple/victims?by=sex,exploitation,ageClass&providers=policia-nacional,casa-abrigo',
      victims({
        by: ['sex', 'exploitation', 'ageClass'],
        filters: { providerId: ['casa-abrigo', 'policia-nacional'] },
      }),
    ],
    [
      '/v1/reports/simple/victims?by=citizenship,sex&unit=records&from=2024-03&to=2024-10',
      victims({ by: ['citizenship', 'sex'], unit: 'records', from: '2024-03-01', to: '2024-10-31' }),
    ],
    [
      '/v1/reports/simple/suspects?by=sex,organisedCrime&providers=type:POLICE',
      {
        kind: 'suspect',
        unit: 'persons',
        by: ['sex', 'organisedCrime'],
        filters: { providerType: ['POLICE'] },
      },
    ],
    [
      '/v1/reports/simple/prosecutions-finalised?by=outcome',
      {
        kind: 'prosecution',
        unit: 'records',
        by: ['outcome'],
        filters: { outcome: ['FINALISED_CONVICTION', 'FINALISED_ACQUITTAL', 'FINALISED_OTHER'] },
      },
    ],
  ];
  for (const [path, query] of cases)
    it(path, async () => {
      const body = await coordinator(path);
      const expected = expectedTable(fx.dataset, query);
      expect(publishedTable(body)).toEqual(expected);
      expect(expected.get(entryId({}))).toBeGreaterThan(0);
      expect(body.disclosure).toEqual({ method: 'none' });
    });

  it('counts a person once in the total even when the cells of a list field add up to more', async () => {
    const body = await coordinator('/v1/reports/simple/victims?by=exploitation');
    const cellSum = body.cells.reduce((n, c) => n + (c.value ?? 0), 0);
    const truth = referenceQuery(fx.dataset.truth, victims({}));
    expect(body.total.value).toBe(truth.total);
    expect(cellSum).toBeGreaterThan(truth.total);
  });

  it('refuses a fourth variable', async () => {
    const { status } = await fx.get(
      '/v1/reports/simple/victims?by=sex,ageClass,exploitation,citizenship',
      'analyst',
    );
    expect(status).toBe(400);
  });
});

describe('total reports', () => {
  it('gives each provider and the deduplicated combination, persons beside records', async () => {
    const ids = ['casa-abrigo', 'ngo-apoio', 'policia-nacional'];
    const body = await coordinator(`/v1/reports/total/victims?providers=${ids.join(',')}`);
    const filters = { providerId: ids };
    const persons = body.persons as PublishedTableBody;
    const records = body.records as PublishedTableBody;
    expect(publishedTable(persons)).toEqual(
      expectedTable(fx.dataset, victims({ by: ['providerId'], filters })),
    );
    expect(publishedTable(records)).toEqual(
      expectedTable(fx.dataset, victims({ by: ['providerId'], unit: 'records', filters })),
    );
    expect(body.providers).toEqual(ids);
    // The same person reported by several providers: combined persons < sum over providers ≤ records.
    const perProvider = persons.cells.reduce((n, c) => n + c.value!, 0);
    expect(persons.total.value!).toBeLessThan(perProvider);
    expect(records.total.value).toBeGreaterThanOrEqual(perProvider);
    expect(records.total.value).toBe(records.cells.reduce((n, c) => n + c.value!, 0));
  });

  it('takes a provider type, with a variable', async () => {
    const body = await coordinator('/v1/reports/total/victims?providers=type:NGO,type:SHELTER&by=sex');
    const filters = { providerId: ['casa-abrigo', 'ngo-apoio'] };
    expect(publishedTable(body.persons as PublishedTableBody)).toEqual(
      expectedTable(fx.dataset, victims({ by: ['providerId', 'sex'], filters })),
    );
  });

  it('takes all providers, and one', async () => {
    const all = await coordinator('/v1/reports/total/victims?by=ageClass');
    expect(publishedTable(all.records as PublishedTableBody)).toEqual(
      expectedTable(fx.dataset, victims({ by: ['providerId', 'ageClass'], unit: 'records' })),
    );
    const one = await coordinator('/v1/reports/total/suspects?providers=policia-nacional');
    expect(publishedTable(one.persons as PublishedTableBody)).toEqual(
      expectedTable(fx.dataset, {
        kind: 'suspect',
        unit: 'persons',
        by: ['providerId'],
        filters: { providerId: ['policia-nacional'] },
      }),
    );
  });
});

describe('time-frame reports', () => {
  it('gives quarters with margins, and quarters add up to the year before protection', async () => {
    const body = await coordinator(
      '/v1/reports/time-frame/victims?by=sex&interval=quarter&from=2024&to=2024&unit=records',
    );
    const query = victims({
      by: ['sex'],
      interval: 'quarter',
      unit: 'records',
      from: '2024-01-01',
      to: '2024-12-31',
    });
    expect(publishedTable(body)).toEqual(expectedTable(fx.dataset, query));
    const year = await coordinator(
      '/v1/reports/time-frame/victims?by=sex&interval=year&from=2024&to=2024&unit=records',
    );
    const quarters = body.margins.filter((m) => Object.keys(m.key).join() === 'period');
    expect(quarters.map((q) => q.key.period)).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2024-unspecified',
    ]);
    const yearTotal = year.margins.find((m) => m.key.period === '2024')!.value;
    expect(quarters.reduce((n, q) => n + q.value!, 0)).toBe(yearTotal);
    expect(yearTotal).toBe(referenceQuery(fx.dataset.truth, { ...query, by: [], interval: undefined }).total);
  });

  it('compares with the previous period', async () => {
    const body = await coordinator(
      '/v1/reports/time-frame/victims?interval=month&from=2024-Q2&to=2024-Q2&compare=previous',
    );
    expect(publishedTable(body)).toEqual(
      expectedTable(fx.dataset, victims({ interval: 'month', from: '2024-04-01', to: '2024-06-30' })),
    );
    const previous = body.previous as PublishedTableBody & { from: string; to: string };
    expect([previous.from, previous.to]).toEqual(['2024-01-01', '2024-03-31']);
    expect(publishedTable(previous)).toEqual(
      expectedTable(fx.dataset, victims({ interval: 'month', from: '2024-01-01', to: '2024-03-31' })),
    );
  });

  it('finds the previous period', () => {
    expect(previousPeriod('2024-01-01', '2024-12-31')).toEqual(['2023-01-01', '2023-12-31']);
    expect(previousPeriod('2024-03-01', '2024-03-31')).toEqual(['2024-02-01', '2024-02-29']);
    expect(previousPeriod('2024-01-01', '2024-06-30')).toEqual(['2023-07-01', '2023-12-31']);
    expect(previousPeriod('2024-03-10', '2024-03-16')).toEqual(['2024-03-03', '2024-03-09']);
  });

  it('needs an interval', async () => {
    expect((await fx.get('/v1/reports/time-frame/victims?by=sex', 'analyst')).status).toBe(400);
  });
});

describe('geo reports', () => {
  for (const level of [0, 1, 2, 3] as const)
    it(`by region of identification at NUTS level ${level}`, async () => {
      const body = await coordinator(`/v1/reports/geo/victims?level=${level}`);
      expect(publishedTable(body)).toEqual(
        expectedTable(fx.dataset, victims({ by: ['regionOfIdentification'], geoLevel: level })),
      );
    });

  it('by region of exploitation for a provider type inside a region, by sex', async () => {
    const body = await coordinator(
      '/v1/reports/geo/victims?geoField=regionOfExploitation&level=2&providers=type:NGO&geo=PT1&by=sex',
    );
    expect(publishedTable(body)).toEqual(
      expectedTable(
        fx.dataset,
        victims({
          by: ['regionOfExploitation', 'sex'],
          geoLevel: 2,
          filters: { providerType: ['NGO'], regionOfExploitation: ['PT1'] },
        }),
      ),
    );
  });

  it('by country', async () => {
    const body = await coordinator('/v1/reports/geo/suspects?level=country');
    expect(publishedTable(body)).toEqual(
      expectedTable(fx.dataset, {
        kind: 'suspect',
        unit: 'persons',
        by: ['regionOfIdentification'],
        geoLevel: 0,
        filters: {},
      }),
    );
  });

  it('gives the flows citizenship → region of exploitation', async () => {
    const body = await coordinator(
      '/v1/reports/geo/victims?flows=citizenship&level=1&providers=policia-nacional',
    );
    expect(body.report).toBe('flows');
    expect(publishedTable(body)).toEqual(
      expectedTable(
        fx.dataset,
        victims({
          by: ['citizenship', 'regionOfExploitation'],
          geoLevel: 1,
          filters: { providerId: ['policia-nacional'] },
        }),
      ),
    );
  });
});

describe('analyst tables', () => {
  it('withhold every small count and leave none derivable from the margins of an additive table', async () => {
    const path =
      '/v1/reports/simple/victims?by=sex,ageGroup&unit=records&providers=policia-nacional,ngo-apoio';
    const { status, body } = await fx.get(path, 'analyst');
    expect(status).toBe(200);
    const table = body as PublishedTableBody & { disclosure: { method: string; withheld: number } };
    const truth = expectedTable(
      fx.dataset,
      victims({
        by: ['sex', 'ageGroup'],
        unit: 'records',
        filters: { providerId: ['ngo-apoio', 'policia-nacional'] },
      }),
    );
    const published = publishedTable(table);
    expect([...published.keys()].sort()).toEqual([...truth.keys()].sort());
    let small = 0;
    for (const [id, value] of published) {
      const actual = truth.get(id)!;
      if (actual > 0 && actual < 5) small++;
      if (actual > 0 && actual < 5) expect(value, id).toBeNull();
      if (value !== null) expect(value, id).toBe(actual);
    }
    expect(small).toBeGreaterThan(3);
    expect(table.disclosure.method).toBe('suppression');
    expect(table.disclosure.withheld).toBe([...published.values()].filter((v) => v === null).length);
    // Subtraction along any line (records of single-valued fields add up) never isolates one withheld entry.
    for (const line of lines(table)) {
      const withheld = line.entries.filter((v) => v === null).length + (line.margin === null ? 1 : 0);
      expect(withheld).not.toBe(1);
    }
  });

  it('publish the true value of every entry that is not withheld, on a persons table with a list field', async () => {
    const { body } = await fx.get('/v1/reports/simple/victims?by=exploitation,ageClass', 'analyst');
    const table = body as PublishedTableBody;
    const truth = expectedTable(fx.dataset, victims({ by: ['exploitation', 'ageClass'] }));
    for (const [id, value] of publishedTable(table)) {
      const actual = truth.get(id)!;
      if (value === null) expect(actual).toBeGreaterThan(0);
      else expect(value).toBe(actual);
      if (actual > 0 && actual < 5) expect(value).toBeNull();
    }
  });
});

describe('data quality', () => {
  it('gives completeness per provider and field, equal to the reference', async () => {
    const { status, body } = await fx.get(
      '/v1/reports/quality?providers=ngo-apoio&protection=none',
      'coordinator',
    );
    expect(status).toBe(200);
    const report = body as {
      providers: {
        providerId: string;
        completeness: {
          kind: string;
          field: string;
          records: { value: number };
          unknown: { value: number };
        }[];
      }[];
    };
    expect(report.providers.map((p) => p.providerId)).toEqual(['ngo-apoio']);
    const sex = report.providers[0]!.completeness.find((c) => c.kind === 'victim' && c.field === 'sex')!;
    const all = {
      kind: 'victim' as const,
      unit: 'records' as const,
      by: [],
      filters: { providerId: ['ngo-apoio'] },
    };
    expect(sex.records.value).toBe(referenceQuery(fx.dataset.truth, all).total);
    expect(sex.unknown.value).toBe(
      referenceQuery(fx.dataset.truth, { ...all, filters: { ...all.filters, sex: ['UNK'] } }).total,
    );
    expect(sex.unknown.value).toBeGreaterThan(0);
  });

  it('gives volume per provider, kind and quarter, equal to the reference, small counts withheld for analysts', async () => {
    type Volume = {
      providers: { volume: { kind: string; period: string; records: { value: number | null } }[] }[];
    };
    const coordinator = (
      await fx.get('/v1/reports/quality?providers=ngo-apoio&protection=none', 'coordinator')
    ).body as Volume;
    const analyst = (await fx.get('/v1/reports/quality?providers=ngo-apoio', 'analyst')).body as Volume;
    const expected = referenceQuery(fx.dataset.truth, {
      kind: 'victim',
      unit: 'records',
      by: [],
      interval: 'quarter',
      filters: { providerId: ['ngo-apoio'] },
    })
      .cells.map((c) => ({ kind: 'victim', period: c.period ?? '', records: { value: c.value } }))
      .sort((a, b) => a.period.localeCompare(b.period));
    const exact = coordinator.providers[0]!.volume;
    expect(exact.filter((v) => v.kind === 'victim')).toEqual(expected);
    expect(expected.length).toBeGreaterThan(4);
    analyst.providers[0]!.volume.forEach((v, i) => {
      const n = exact[i]!.records.value!;
      if (n > 0 && n < 5) expect(v.records.value).toBeNull();
      if (v.records.value !== null) expect(v.records.value).toBe(n);
    });
  });

  it("never lets a withheld quarter be recovered from the kind's records total", async () => {
    type Value = { value: number | null };
    type Quality = {
      providers: {
        providerId: string;
        volume: { kind: string; period: string; records: Value }[];
        completeness: { kind: string; records: Value }[];
        timeliness?: { kind: string; records: Value }[];
      }[];
    };
    const analyst = (await fx.get('/v1/reports/quality', 'analyst')).body as Quality;
    let lines = 0;
    let withheldQuarters = 0;
    for (const provider of analyst.providers)
      for (const kind of new Set(provider.volume.map((v) => v.kind))) {
        const quarters = provider.volume.filter((v) => v.kind === kind).map((v) => v.records.value);
        const totals = new Set(
          [...provider.completeness, ...(provider.timeliness ?? [])]
            .filter((c) => c.kind === kind)
            .map((c) => c.records.value),
        );
        // One published total per kind, wherever it appears.
        expect(totals.size, `${provider.providerId} ${kind}`).toBe(1);
        const [total] = [...totals];
        const withheld = quarters.filter((q) => q === null).length;
        withheldQuarters += withheld;
        lines++;
        // Exactly one unknown in "quarters add up to the total" would be that total minus the rest.
        expect(withheld + (total === null ? 1 : 0), `${provider.providerId} ${kind}`).not.toBe(1);
      }
    expect(lines).toBeGreaterThan(3);
    expect(withheldQuarters).toBeGreaterThan(0);
  });

  it('lists rejects, dead letters and unmapped values from the ledger, small counts withheld for analysts', async () => {
    await fx.stores.ledger.recordQuality(
      [
        { providerId: 'ngo-apoio', kind: 'rejected', field: 'invalid-field', value: '', count: 7 },
        { providerId: 'ngo-apoio', kind: 'deadletter', field: 'internal', value: '', count: 2 },
        { providerId: 'ngo-apoio', kind: 'unmapped', field: 'sexo', value: 'desconhecido', count: 3 },
        { providerId: 'casa-abrigo', kind: 'rejected', field: 'invalid-field', value: '', count: 1 },
      ],
      1_700_000_000_000,
    );
    type Events = {
      providers: {
        providerId: string;
        events: { kind: string; field: string; count: number | null; flag?: string }[];
      }[];
    };
    const coordinator = (
      await fx.get('/v1/reports/quality?providers=ngo-apoio&protection=none', 'coordinator')
    ).body as Events;
    const counts = (body: Events) =>
      Object.fromEntries(body.providers[0]!.events.map((e) => [`${e.kind}:${e.field}`, e.count]));
    expect(counts(coordinator)).toEqual({
      'rejected:invalid-field': 7,
      'deadletter:internal': 2,
      'unmapped:sexo': 3,
    });
    const analyst = (await fx.get('/v1/reports/quality?providers=ngo-apoio', 'analyst')).body as Events;
    expect(counts(analyst)).toEqual({
      'rejected:invalid-field': 7,
      'deadletter:internal': null,
      'unmapped:sexo': null,
    });
    expect(analyst.providers[0]!.events.filter((e) => e.count === null).every((e) => e.flag === 'c')).toBe(
      true,
    );
  });

  it('shows unmapped provider values to the provider and coordinators, never to analysts', async () => {
    // The provider key of the fixture is the dataset's first provider's.
    const id = fx.dataset.providers[0]!.id;
    await fx.stores.ledger.recordQuality(
      [
        {
          providerId: id,
          kind: 'unmapped',
          field: 'regionOfExploitation',
          value: 'flat of Ivan Petrov, Lisbon',
          count: 4,
        },
        { providerId: id, kind: 'unmapped', field: 'regionOfExploitation', value: 'PT17', count: 3 },
      ],
      1_700_000_000_000,
    );
    type Events = {
      providers: { events: { kind: string; field: string; value?: string; count: number | null }[] }[];
    };
    const unmapped = (body: Events) => body.providers[0]!.events.filter((e) => e.kind === 'unmapped');
    const coordinator = (await fx.get(`/v1/reports/quality?providers=${id}&protection=none`, 'coordinator'))
      .body as Events;
    expect(
      unmapped(coordinator)
        .map((e) => [e.value, e.count])
        .sort(),
    ).toEqual([
      ['PT17', 3],
      ['flat of Ivan Petrov, Lisbon', 4],
    ]);
    const provider = (await fx.get('/v1/reports/quality', 'provider')).body as Events;
    expect(
      unmapped(provider)
        .map((e) => e.value)
        .sort(),
    ).toEqual(['PT17', 'flat of Ivan Petrov, Lisbon']);
    const analyst = (await fx.get(`/v1/reports/quality?providers=${id}`, 'analyst')).body as Events;
    expect(unmapped(analyst)).toMatchObject([{ field: 'regionOfExploitation', count: 7 }]);
    expect(unmapped(analyst)[0]).not.toHaveProperty('value');
    expect(JSON.stringify(analyst)).not.toMatch(/Petrov|PT17/);
  });

  it('gives timeliness per provider and kind, equal to the reference', async () => {
    const { body } = await fx.get('/v1/reports/quality?providers=casa-abrigo&protection=none', 'coordinator');
    type Row = {
      kind: string;
      records: { value: number };
      meanLagDays: number;
      within30: { value: number };
      within90: { value: number };
      within365: { value: number };
    };
    const rows = (body as { providers: { timeliness: Row[] }[] }).providers[0]!.timeliness;
    // The fixture's records all arrived on 2026-04-01 (the builder's receivedAt).
    const arrival = Date.UTC(2026, 3, 1);
    const lags = fx.dataset.truth
      .filter((t) => t.providerId === 'casa-abrigo' && !t.withdrawn)
      .map((t) => ({
        kind: t.kind,
        lag: Math.max(
          0,
          (arrival - Date.parse(`${periodBoundsOf(t.referenceDate).end}T00:00:00Z`)) / 86_400_000,
        ),
      }));
    const kinds = [...new Set(lags.map((l) => l.kind))].sort();
    expect(rows.map((r) => r.kind)).toEqual(kinds);
    for (const row of rows) {
      const of = lags.filter((l) => l.kind === row.kind).map((l) => l.lag);
      expect(row.records.value).toBe(of.length);
      expect(row.meanLagDays).toBe(Math.round((of.reduce((a, b) => a + b, 0) / of.length) * 10) / 10);
      expect(row.within30.value).toBe(of.filter((l) => l <= 30).length);
      expect(row.within90.value).toBe(of.filter((l) => l <= 90).length);
      expect(row.within365.value).toBe(of.filter((l) => l <= 365).length);
    }
    expect(rows.some((r) => r.within365.value < r.records.value)).toBe(true);
  });

  it('shows a provider its own quality only', async () => {
    const own = await fx.get('/v1/reports/quality', 'provider');
    expect(own.status).toBe(200);
    expect((own.body as { providers: { providerId: string }[] }).providers.map((p) => p.providerId)).toEqual([
      fx.dataset.providers[0]!.id,
    ]);
    expect((await fx.get('/v1/reports/quality?providers=ngo-apoio', 'provider')).status).toBe(400);
  });
});
