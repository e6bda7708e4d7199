import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { referenceQuery } from '@mosy/testkit';
import { startFixture, type Fixture } from '../test-support/fixture.js';
import { REGISTERED } from '../test-support/expected.js';

interface ValuesBody {
  cells: Record<string, string | number | null>[];
  total: number | null;
  totalFlag?: string;
  disclosure: { method: string; threshold?: number; maxPerturbation?: number };
}

let fx: Fixture;
beforeAll(async () => {
  // The deployment default for ad-hoc queries: the cell key method.
  fx = await startFixture();
});
afterAll(async () => {
  await fx.close();
});

const values = async (path: string): Promise<ValuesBody> => {
  const { status, body, text } = await fx.get(`/v1/indicators/${path}`, 'analyst');
  expect(status, text).toBe(200);
  return body as ValuesBody;
};

describe('ad-hoc values for analysts: the cell key method', () => {
  it('publishes each count within ±2 of the truth, withholding what falls below the threshold', async () => {
    const body = await values('victims/values?by=citizenship');
    expect(body.disclosure).toMatchObject({ method: 'cell-key', threshold: 5, maxPerturbation: 2 });
    const truth = referenceQuery(fx.dataset.truth, {
      kind: 'victim',
      unit: 'persons',
      by: ['citizenship'],
      filters: { status: REGISTERED },
    });
    let exact = 0;
    for (const cell of body.cells) {
      const actual = truth.cells.find((c) => c.key.citizenship === cell.citizenship)!.value;
      if (cell.value === null) {
        expect(cell.flag).toBe('c');
        expect(actual).toBeLessThan(5 + 2);
      } else {
        expect(Math.abs((cell.value as number) - actual)).toBeLessThanOrEqual(2);
        expect(cell.value).toBeGreaterThanOrEqual(5);
        if (cell.value === actual) exact++;
      }
      if (actual < 3) expect(cell.value).toBeNull();
    }
    expect(body.cells.length).toBe(truth.cells.length);
    expect(exact).toBeLessThan(body.cells.length);
    expect(Math.abs(body.total! - truth.total)).toBeLessThanOrEqual(2);
  });

  it('gives the same set of records the same value whatever the query that counts it', async () => {
    // The cell F of a breakdown by sex, and the total of a query filtered to F, count the same persons.
    const bySex = await values('victims/values?by=sex&providers=policia-nacional,ngo-apoio');
    const female = await values('victims/values?sex=F&providerId=ngo-apoio,policia-nacional');
    const cell = bySex.cells.find((c) => c.sex === 'F')!;
    expect(cell.value).toBe(female.total);
    // Asking again gives the same answer: repeating a query averages nothing away.
    expect(await values('victims/values?by=sex&providers=policia-nacional,ngo-apoio')).toEqual(bySex);
    // The same persons by a time frame that covers every record: the same published total.
    const everything = await values(
      'victims/values?sex=F&providerId=ngo-apoio,policia-nacional&from=2023&to=2024',
    );
    expect(everything.total).toBe(female.total);
  });

  it('perturbs records through their record keys', async () => {
    const body = await values('suspects/values?by=sex&unit=records');
    const truth = referenceQuery(fx.dataset.truth, {
      kind: 'suspect',
      unit: 'records',
      by: ['sex'],
      filters: {},
    });
    for (const cell of body.cells) {
      const actual = truth.cells.find((c) => c.key.sex === cell.sex)!.value;
      if (cell.value !== null) expect(Math.abs((cell.value as number) - actual)).toBeLessThanOrEqual(2);
    }
  });
});

describe('values and the registry', () => {
  it('reads the registered providers only for a query that names providers', async () => {
    // On ClickHouse each registry read is a statement of its own, ahead of the store's: a catalogue read names none.
    const listProviders = vi.spyOn(fx.stores.registry, 'listProviders');
    try {
      await values('victims/values?by=sex,ageGroup&interval=quarter');
      expect(listProviders).toHaveBeenCalledTimes(0);
      const byType = await values('victims/values?by=sex&providers=type:NGO');
      expect(listProviders).toHaveBeenCalledTimes(1);
      expect(byType.cells.length).toBeGreaterThan(0);
    } finally {
      listProviders.mockRestore();
    }
  });
});
