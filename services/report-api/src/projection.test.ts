import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitHoltWinters, forecastHoltWinters } from '@mosy/core';
import { startTrendsFixture, victims, type TrendsFixture } from './test-support/trends-fixture.js';

// Twelve quarters 2023-Q1 .. 2025-Q4 of female victims, with a yearly pattern and a rising trend.
const SERIES = [12, 20, 15, 9, 14, 23, 17, 11, 17, 25, 20, 12];
const QUARTERS = ['2023', '2024', '2025'].flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`));
const MID_MONTH = ['02', '05', '08', '11'];

interface ProjectionBody {
  indicator: string;
  series: { period: string; value: number | null; flag?: string }[];
  forecast: { period: string; value: number; lower: number; upper: number }[];
  method: { name: string; alpha: number; beta: number; gamma: number; seasonalPeriod: number; level: number };
  notes: string[];
}

let fx: TrendsFixture;
beforeAll(async () => {
  fx = await startTrendsFixture({ polling: true });
  const records = SERIES.flatMap((n, i) =>
    victims(n, `${2023 + Math.floor(i / 4)}-${MID_MONTH[i % 4]}-15`, 'F'),
  );
  // Males: 3 in the first quarter, 2 in the last: small cells for the analyst's suppression.
  records.push(...victims(3, '2023-02-15', 'M'), ...victims(2, '2025-11-15', 'M'));
  // Dated only to the year: cannot be placed in a quarter.
  records.push(...victims(4, '2024', 'F'));
  await fx.stores.store.apply(records);
});
afterAll(async () => {
  await fx.close();
});

describe('GET /v1/indicators/:id/projection', () => {
  it('gives a coordinator the exact quarterly series and the rounded Holt-Winters forecast', async () => {
    const { status, body } = await fx.get(
      '/v1/indicators/victims/projection?sex=F&quarters=4&level=0.8&protection=none',
      'coordinator',
    );
    expect(status).toBe(200);
    const audited = await fx.stores.audit.list();
    expect(audited.map((e) => [e.role, e.resource])).toEqual([
      ['coordinator', '/v1/indicators/victims/projection'],
    ]);
    const b = body as ProjectionBody;
    expect(b.indicator).toBe('victims');
    expect(b.series).toEqual(QUARTERS.map((period, i) => ({ period, value: SERIES[i] })));
    const fit = fitHoltWinters(SERIES);
    const expected = forecastHoltWinters(fit, 4, 0.8).map((p, i) => ({
      period: `2026-Q${i + 1}`,
      value: Math.max(0, Math.round(p.value)),
      lower: Math.max(0, Math.round(p.lower)),
      upper: Math.max(0, Math.round(p.upper)),
    }));
    expect(b.forecast).toEqual(expected);
    // The seasonal pattern carries into the forecast: Q2 highest, Q4 lowest.
    const values = b.forecast.map((f) => f.value);
    expect(Math.max(...values)).toBe(values[1]);
    expect(Math.min(...values)).toBe(values[3]);
    expect(b.method).toEqual({
      name: 'holt-winters-additive',
      alpha: Math.round(fit.params.alpha * 1e4) / 1e4,
      beta: Math.round(fit.params.beta * 1e4) / 1e4,
      gamma: Math.round(fit.params.gamma * 1e4) / 1e4,
      seasonalPeriod: 4,
      level: 0.8,
    });
    expect(b.notes[0]).toBe('Records dated only to the year (2024-unspecified) are not in the series.');
  });

  it('defaults to 4 quarters at the 95 % level, and honours quarters', async () => {
    const { body } = await fx.get(
      '/v1/indicators/victims/projection?sex=F&quarters=6&protection=none',
      'coordinator',
    );
    const b = body as ProjectionBody;
    expect(b.method.level).toBe(0.95);
    expect(b.forecast.map((f) => f.period)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
      '2027-Q1',
      '2027-Q2',
    ]);
    b.forecast.forEach((f) => {
      expect(Number.isInteger(f.value) && Number.isInteger(f.lower) && Number.isInteger(f.upper)).toBe(true);
      expect(f.lower).toBeLessThanOrEqual(f.value);
      expect(f.upper).toBeGreaterThanOrEqual(f.value);
    });
  });

  it('withholds small quarters from an analyst and shows them to a coordinator', async () => {
    const analyst = (await fx.get('/v1/indicators/victims/projection?sex=M', 'analyst'))
      .body as ProjectionBody;
    const coordinator = (
      await fx.get('/v1/indicators/victims/projection?sex=M&protection=none', 'coordinator')
    ).body as ProjectionBody;
    expect(coordinator.series.map((s) => s.value)).toEqual([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(analyst.series[0]).toEqual({ period: '2023-Q1', value: null, flag: 'c' });
    expect(analyst.series[11]).toEqual({ period: '2025-Q4', value: null, flag: 'c' });
    expect(analyst.series.slice(1, 11).map((s) => s.value)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('perturbs an analyst’s quarters where the deployment uses the cell key method', async () => {
    const perturbed = await startTrendsFixture({
      polling: true,
      disclosure: { threshold: 5, adHoc: 'perturb' },
    });
    try {
      await perturbed.stores.store.apply(
        SERIES.flatMap((n, i) => victims(n, `${2023 + Math.floor(i / 4)}-${MID_MONTH[i % 4]}-15`, 'F')),
      );
      const { body } = await perturbed.get('/v1/indicators/victims/projection?sex=F', 'analyst');
      const analyst = body as ProjectionBody & { disclosure: { method: string } };
      expect(analyst.disclosure.method).toBe('cell-key');
      const shown = analyst.series.map((s) => s.value);
      shown.forEach((value, i) => {
        expect(value).not.toBeNull();
        expect(Math.abs(value! - SERIES[i]!)).toBeLessThanOrEqual(2);
      });
      // Each quarter counts other persons, so with twelve keys some quarter moves.
      expect(shown).not.toEqual(SERIES);
      // The model is fitted to the published (perturbed) quarters, none of which is withheld here.
      const forecast = forecastHoltWinters(fitHoltWinters(shown as number[], { seasonalPeriod: 4 }), 4, 0.95);
      expect(analyst.forecast.map((f) => f.value)).toEqual(
        forecast.map((f) => Math.max(0, Math.round(f.value))),
      );
    } finally {
      await perturbed.close();
    }
  });

  it('refuses fewer than 8 quarters, breakdowns and bad parameters', async () => {
    const short = await fx.get('/v1/indicators/victims/projection?sex=F&from=2024-Q3&to=2025-Q4', 'analyst');
    expect(short.status).toBe(400);
    expect(short.type).toContain('application/problem+json');
    expect((short.body as { detail: string }).detail).toBe(
      'A projection needs at least 8 quarters of data; the selection spans 6.',
    );
    const empty = await fx.get('/v1/indicators/suspects/projection', 'analyst');
    expect((empty.body as { detail: string }).detail).toBe(
      'A projection needs at least 8 quarters of data; the selection spans 0.',
    );
    for (const query of ['by=sex', 'quarters=13', 'quarters=0', 'level=0.9', 'colour=red']) {
      const r = await fx.get(`/v1/indicators/victims/projection?${query}`, 'analyst');
      expect([query, r.status, (r.body as { code: string }).code]).toEqual([query, 400, 'invalid-query']);
    }
    expect((await fx.get('/v1/indicators/nope/projection', 'analyst')).status).toBe(404);
    expect((await fx.get('/v1/indicators/victims/projection', 'provider')).status).toBe(403);
  });
});
