import { describe, expect, it } from 'vitest';
import fixture from './fixtures/statsmodels-reference.json' with { type: 'json' };
import {
  fitHoltWinters,
  forecastHoltWinters,
  initialHoltWintersState,
  smoothHoltWinters,
} from './holt-winters.js';

interface ReferenceCase {
  readonly name: string;
  readonly y: number[];
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly level: number;
  readonly trend: number;
  readonly seasonal: number[];
  readonly fitted: number[];
  readonly forecast: number[];
  readonly sigma2: number;
  readonly forecastVariance: number[];
  readonly intervalWidths: Record<'0.8' | '0.95', number[]>;
}

// Produced by fixtures/statsmodels-reference.py (statsmodels ExponentialSmoothing and ETSModel, fixed parameters).
const reference = fixture as { horizon: number; cases: ReferenceCase[] };

const closeTo = (actual: readonly number[], expected: readonly number[], tolerance: number): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - (expected[i] ?? Number.NaN))).toBeLessThan(tolerance));
};

describe('Holt-Winters against statsmodels', () => {
  it('has three reference cases', () => {
    expect(reference.cases.map((c) => c.name)).toEqual([
      'trend-and-season',
      'noisy-quarters',
      'short-declining',
    ]);
  });

  for (const c of reference.cases) {
    const params = { alpha: c.alpha, beta: c.beta, gamma: c.gamma };
    const initial = { level: c.level, trend: c.trend, seasonal: c.seasonal };

    it(`${c.name}: fitted values match to 1e-6`, () => {
      closeTo(smoothHoltWinters(c.y, params, initial).fitted, c.fitted, 1e-6);
    });

    it(`${c.name}: forecasts, σ² and 80 % / 95 % interval widths match to 1e-6`, () => {
      const fit = fitHoltWinters(c.y, { params, initial });
      expect(Math.abs(fit.sigma2 - c.sigma2)).toBeLessThan(1e-9);
      for (const level of [0.8, 0.95] as const) {
        const points = forecastHoltWinters(fit, reference.horizon, level);
        closeTo(
          points.map((p) => p.value),
          c.forecast,
          1e-6,
        );
        closeTo(
          points.map((p) => p.upper - p.lower),
          c.intervalWidths[String(level) as '0.8' | '0.95'],
          1e-6,
        );
        points.forEach((p) => expect(Math.abs((p.upper + p.lower) / 2 - p.value)).toBeLessThan(1e-9));
      }
    });
  }
});

describe('fitHoltWinters', () => {
  // 10 + 2t + season (+8, −3, +5, −10), with a small deterministic wobble: the fit must recover the pattern.
  const season = [8, -3, 5, -10];
  const wobble = [0.4, -0.3, 0.2, -0.1, 0.3, -0.4, 0.1, 0.2, -0.2, 0.3, -0.3, 0.1];
  const y = Array.from({ length: 24 }, (_, t) => 10 + 2 * t + (season[t % 4] ?? 0) + (wobble[t % 12] ?? 0));

  it('forecasts a series with known trend and seasonality within 0.3 of the truth', () => {
    const fit = fitHoltWinters(y);
    const points = forecastHoltWinters(fit, 8, 0.95);
    points.forEach((point) => {
      const t = 23 + point.h;
      const truth = 10 + 2 * t + (season[t % 4] ?? 0);
      expect(Math.abs(point.value - truth)).toBeLessThan(0.3);
      expect(point.lower).toBeLessThan(truth);
      expect(point.upper).toBeGreaterThan(truth);
    });
    expect(fit.sigma2).toBeLessThan(0.15);
  });

  it('has a lower SSE than every point of the coarse grid, and keeps gamma ≤ 1 − alpha', () => {
    const fit = fitHoltWinters(y);
    const { alpha, beta, gamma } = fit.params;
    expect(gamma).toBeLessThanOrEqual(1 - alpha + 1e-9);
    for (const a of [0.1, 0.3, 0.5, 0.7, 0.9])
      for (const b of [0.1, 0.5, 0.9])
        expect(
          smoothHoltWinters(y, { alpha: a, beta: b, gamma: 0.05 }, fit.initial).sse,
        ).toBeGreaterThanOrEqual(fit.smoothing.sse);
    expect([alpha, beta, gamma].every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('is deterministic', () => {
    expect(fitHoltWinters(y).params).toEqual(fitHoltWinters(y).params);
  });

  it('widens the interval with the horizon and with the level', () => {
    const fit = fitHoltWinters(y);
    const p80 = forecastHoltWinters(fit, 8, 0.8);
    const p95 = forecastHoltWinters(fit, 8, 0.95);
    for (let i = 1; i < 8; i++) {
      const width = (p: (typeof p80)[number] | undefined): number => (p ? p.upper - p.lower : Number.NaN);
      expect(width(p95[i])).toBeGreaterThan(width(p80[i]));
      expect(width(p95[i])).toBeGreaterThan(width(p95[i - 1]));
    }
  });

  it('estimates initial states from the first two seasons', () => {
    expect(initialHoltWintersState([1, 2, 3, 6, 5, 6, 7, 10], 4)).toEqual({
      level: 0.5,
      trend: 1,
      seasonal: [-0.5, -0.5, -0.5, 1.5],
    });
  });

  it('refuses fewer than two seasons of values', () => {
    expect(() => fitHoltWinters([1, 2, 3, 4, 5, 6, 7])).toThrow(/at least 8 values, got 7/);
    expect(() => fitHoltWinters([1, 2, 3, 4, 5, 6, 7, Number.NaN])).toThrow(/non-finite/);
  });
});
