import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import {
  REGISTERED,
  entryId,
  expectedTable,
  lines,
  publishedTable,
  type PublishedTableBody,
} from '../test-support/expected.js';

type Body = PublishedTableBody & {
  disclosure: { method: string; threshold: number; maxPerturbation: number; withheld: number };
};

let fx: Fixture;
beforeAll(async () => {
  // The deployment default: ad-hoc outputs, table reports included, by the cell key method.
  fx = await startFixture();
});
afterAll(async () => {
  await fx.close();
});

async function analyst(path: string): Promise<Body & Record<string, unknown>> {
  const { status, body, text } = await fx.get(path, 'analyst');
  expect(status, text).toBe(200);
  return body as Body & Record<string, unknown>;
}

const PROVIDERS = 'policia-nacional,ngo-apoio';

describe('analyst table reports: the cell key method with secondary suppression', () => {
  it('publishes every entry within ±2 of the truth or withholds it, and no line isolates a withheld entry', async () => {
    const table = await analyst(
      `/v1/reports/simple/victims?by=sex,ageGroup&unit=records&providers=${PROVIDERS}`,
    );
    const truth = expectedTable(fx.dataset, {
      kind: 'victim',
      unit: 'records',
      by: ['sex', 'ageGroup'],
      filters: { status: REGISTERED, providerId: ['ngo-apoio', 'policia-nacional'] },
    });
    expect(table.disclosure).toMatchObject({ method: 'cell-key', threshold: 5, maxPerturbation: 2 });
    const published = publishedTable(table);
    expect([...published.keys()].sort()).toEqual([...truth.keys()].sort());
    let moved = 0;
    let small = 0;
    for (const [id, value] of published) {
      const actual = truth.get(id)!;
      if (actual > 0 && actual < 3) {
        small++;
        // Even +2 leaves it below the threshold.
        expect(value, id).toBeNull();
      }
      if (value === null) expect(actual, id).toBeGreaterThan(0);
      else {
        expect(Math.abs(value - actual), id).toBeLessThanOrEqual(2);
        expect(value === 0 ? actual === 0 : value >= 5, id).toBe(true);
        if (value !== actual) moved++;
      }
    }
    expect(small).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
    expect(table.disclosure.withheld).toBe([...published.values()].filter((v) => v === null).length);
    for (const line of lines(table)) {
      const withheld = line.entries.filter((v) => v === null).length + (line.margin === null ? 1 : 0);
      expect(withheld).not.toBe(1);
    }
  });

  it('gives the same set of persons the same value in every report and query that counts it', async () => {
    const filter = `providers=${PROVIDERS}`;
    const simple = await analyst(`/v1/reports/simple/victims?by=sex&${filter}`);
    const geo = await analyst(`/v1/reports/geo/victims?level=0&${filter}`);
    const yearly = await analyst(`/v1/reports/time-frame/victims?interval=year&from=2023&to=2024&${filter}`);
    const total = await analyst(`/v1/reports/total/victims?${filter}`);
    const values = async (query: string): Promise<number | null> =>
      ((await analyst(`/v1/indicators/victims/values?${query}`)) as unknown as { total: number | null })
        .total;

    // The grand total counts the same persons everywhere: every record is dated 2023 or 2024.
    const overall = await values(filter);
    expect(overall).not.toBeNull();
    const persons = total.persons as Body;
    for (const shown of [simple.total, geo.total, yearly.total, persons.total])
      if (shown.value !== null) expect(shown.value).toBe(overall);

    // A cell of one report and the total of a query filtered to it count the same persons too.
    let compared = 0;
    for (const cell of simple.cells) {
      const alone = await values(`${filter}&sex=${cell.key.sex!}`);
      if (cell.value !== null && alone !== null) {
        expect(cell.value).toBe(alone);
        compared++;
      }
    }
    for (const cell of persons.cells) {
      const alone = await values(`providers=${cell.key.providerId!}`);
      if (cell.value !== null && alone !== null) {
        expect(cell.value).toBe(alone);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    // And asking again changes nothing: repetition averages no noise away.
    expect(await analyst(`/v1/reports/simple/victims?by=sex&${filter}`)).toEqual(simple);
  });

  it('perturbs the previous period of a comparison and the records of a total report alike', async () => {
    const report = await analyst(
      `/v1/reports/time-frame/victims?interval=quarter&from=2024-01&to=2024-06&compare=previous`,
    );
    const previous = report.previous as Body & { from: string; to: string };
    expect(previous).toMatchObject({ from: '2023-07-01', to: '2023-12-31' });
    expect(previous.disclosure.method).toBe('cell-key');
    const truth = expectedTable(fx.dataset, {
      kind: 'victim',
      unit: 'persons',
      by: [],
      interval: 'quarter',
      from: '2023-07-01',
      to: '2023-12-31',
      filters: { status: REGISTERED },
    });
    for (const [id, value] of publishedTable(previous))
      if (value !== null) expect(Math.abs(value - truth.get(id)!), id).toBeLessThanOrEqual(2);
    const totals = await analyst('/v1/reports/total/suspects');
    expect((totals.records as Body).disclosure.method).toBe('cell-key');
    expect(truth.get(entryId({}))).toBeGreaterThan(0);
  });
});
