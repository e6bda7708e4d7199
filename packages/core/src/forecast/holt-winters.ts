/**
 * Additive Holt-Winters forecasting (level, trend and a seasonal term of period m, 4 for quarters), for the trend
 * projections of the report API. The recursions are those of Hyndman & Athanasopoulos, "Forecasting: Principles
 * and Practice" (3rd ed., §8.3), which are also statsmodels' `ExponentialSmoothing(trend='add', seasonal='add')`:
 *   ŷ_t = ℓ_{t−1} + b_{t−1} + s_{t−m}
 *   ℓ_t = α(y_t − s_{t−m}) + (1 − α)(ℓ_{t−1} + b_{t−1})
 *   b_t = β*(ℓ_t − ℓ_{t−1}) + (1 − β*) b_{t−1}
 *   s_t = γ(y_t − ℓ_{t−1} − b_{t−1}) + (1 − γ) s_{t−m}
 * Prediction intervals use the analytic forecast variance of the equivalent ETS(A,A,A) model (FPP3 Table 8.8, with
 * β = αβ*), σ² being the mean squared one-step residual; they assume normal errors and ignore the uncertainty of
 * the fitted parameters, so they are somewhat too narrow for short series. Parameters are fitted by minimising the
 * sum of squared one-step errors with a deterministic grid search refined around the best point.
 */
import { MosyError } from '../errors.js';

/** Smoothing parameters, each in (0, 1); `beta` is β* of the level-change form (statsmodels' `smoothing_trend`). */
export interface HoltWintersParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

/** The states before the first observation. */
export interface HoltWintersInitialState {
  readonly level: number;
  readonly trend: number;
  /** Seasonal terms of the first m observations, in time order (statsmodels' `initial_seasonal`). */
  readonly seasonal: readonly number[];
}

/** Result of running the recursions over a series. */
export interface HoltWintersSmoothing {
  /** One-step-ahead fitted values ŷ_t, one per observation. */
  readonly fitted: readonly number[];
  /** Sum of squared one-step errors. */
  readonly sse: number;
  /** States after the last observation. */
  readonly level: number;
  readonly trend: number;
  /** The last m seasonal terms, oldest first (the next observation uses `seasonal[0]`). */
  readonly seasonal: readonly number[];
}

export interface HoltWintersForecastPoint {
  /** Steps ahead, from 1. */
  readonly h: number;
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

export interface HoltWintersFit {
  readonly params: HoltWintersParams;
  readonly initial: HoltWintersInitialState;
  readonly seasonalPeriod: number;
  readonly smoothing: HoltWintersSmoothing;
  /** Residual variance: SSE / n. */
  readonly sigma2: number;
}

export interface FitHoltWintersOptions {
  /** @defaultValue 4 (quarters) */
  readonly seasonalPeriod?: number;
  /** Fix the parameters instead of fitting them. */
  readonly params?: HoltWintersParams;
  /** Fix the initial states instead of estimating them from the first two seasons. */
  readonly initial?: HoltWintersInitialState;
}

/** Runs the additive Holt-Winters recursions over `y` with the given parameters and initial states. */
export function smoothHoltWinters(
  y: readonly number[],
  params: HoltWintersParams,
  initial: HoltWintersInitialState,
): HoltWintersSmoothing {
  const { alpha, beta, gamma } = params;
  let level = initial.level;
  let trend = initial.trend;
  // A ring of the last m seasonal terms; season[0] belongs to the next observation.
  const season = [...initial.seasonal];
  const fitted: number[] = [];
  let sse = 0;
  for (const value of y) {
    const s = season.shift() ?? 0;
    const forecast = level + trend + s;
    fitted.push(forecast);
    sse += (value - forecast) ** 2;
    const nextLevel = alpha * (value - s) + (1 - alpha) * (level + trend);
    const nextTrend = beta * (nextLevel - level) + (1 - beta) * trend;
    season.push(gamma * (value - level - trend) + (1 - gamma) * s);
    level = nextLevel;
    trend = nextTrend;
  }
  return { fitted, sse, level, trend, seasonal: season };
}

/**
 * Heuristic initial states from the first two seasons (FPP's classical start, detrended): trend b = (mean of season
 * 2 − mean of season 1) / m; the mean of season 1 is the level at its middle, (m − 1) / 2, so the level before the
 * first observation is that mean − ((m + 1) / 2)·b, and each seasonal term is the observation minus the trend line.
 */
export function initialHoltWintersState(y: readonly number[], m: number): HoltWintersInitialState {
  if (y.length < 2 * m) throw new MosyError('invalid-query', `Holt-Winters needs at least ${2 * m} values.`);
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const first = mean(y.slice(0, m));
  const trend = (mean(y.slice(m, 2 * m)) - first) / m;
  const middle = (m - 1) / 2;
  return {
    level: first - (middle + 1) * trend,
    trend,
    seasonal: y.slice(0, m).map((v, i) => v - (first + (i - middle) * trend)),
  };
}

const COARSE = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);

/**
 * Fits additive Holt-Winters to a series: initial states from the first two seasons (unless given; not optimised), parameters by
 * minimising the SSE over a 0.05 grid of α, β*, γ with γ ≤ 1 − α (the ETS admissibility bound), then refining around
 * the best point with halving steps down to 1e-4. Deterministic.
 * @throws MosyError `invalid-query` for fewer than two seasons of values or a non-finite value.
 */
export function fitHoltWinters(y: readonly number[], options: FitHoltWintersOptions = {}): HoltWintersFit {
  const m = options.seasonalPeriod ?? 4;
  if (!Number.isInteger(m) || m < 2)
    throw new MosyError('internal', `seasonal period ${m} must be an integer ≥ 2`);
  if (y.length < 2 * m)
    throw new MosyError('invalid-query', `Holt-Winters needs at least ${2 * m} values, got ${y.length}.`);
  if (!y.every(Number.isFinite)) throw new MosyError('invalid-query', 'The series has a non-finite value.');
  const initial = options.initial ?? initialHoltWintersState(y, m);
  if (initial.seasonal.length !== m)
    throw new MosyError('internal', `${initial.seasonal.length} initial seasonal terms for period ${m}`);
  const params = options.params ?? optimise(y, initial);
  const smoothing = smoothHoltWinters(y, params, initial);
  return { params, initial, seasonalPeriod: m, smoothing, sigma2: smoothing.sse / y.length };
}

function optimise(y: readonly number[], initial: HoltWintersInitialState): HoltWintersParams {
  const sse = (p: HoltWintersParams): number => smoothHoltWinters(y, p, initial).sse;
  let best: HoltWintersParams = { alpha: 0.5, beta: 0.1, gamma: 0.1 };
  let bestSse = sse(best);
  for (const alpha of COARSE)
    for (const beta of COARSE)
      for (const gamma of COARSE) {
        if (gamma > 1 - alpha + 1e-12) continue;
        const candidate = { alpha, beta, gamma };
        const value = sse(candidate);
        if (value < bestSse) [best, bestSse] = [candidate, value];
      }
  const clamp = (v: number, hi: number): number => Math.min(Math.max(v, 1e-4), hi);
  for (let step = 0.025; step >= 1e-4; step /= 2) {
    let improved = true;
    while (improved) {
      improved = false;
      for (const da of [-step, 0, step])
        for (const db of [-step, 0, step])
          for (const dg of [-step, 0, step]) {
            const alpha = clamp(best.alpha + da, 1 - 1e-4);
            const candidate = {
              alpha,
              beta: clamp(best.beta + db, 1 - 1e-4),
              gamma: clamp(best.gamma + dg, 1 - alpha),
            };
            const value = sse(candidate);
            if (value < bestSse - 1e-12) [best, bestSse, improved] = [candidate, value, true];
          }
    }
  }
  return best;
}

/** Two-sided standard normal quantiles for the supported interval levels. */
const Z: Readonly<Record<string, number>> = { '0.8': 1.2815515655446004, '0.95': 1.959963984540054 };

/**
 * Point forecasts and prediction intervals for `horizon` steps after the series.
 * σ²_h = σ²[1 + (h−1){α² + αβh + β²h(2h−1)/6} + γk{2α + γ + βm(k+1)}], k = ⌊(h−1)/m⌋, β = αβ* (FPP3 Table 8.8).
 * @param level 0.8 or 0.95.
 */
export function forecastHoltWinters(
  fit: HoltWintersFit,
  horizon: number,
  level: 0.8 | 0.95,
): HoltWintersForecastPoint[] {
  const z = Z[String(level)];
  if (z === undefined) throw new MosyError('internal', `interval level ${level} is not 0.8 or 0.95`);
  const { alpha, gamma } = fit.params;
  const beta = alpha * fit.params.beta;
  const m = fit.seasonalPeriod;
  const { smoothing } = fit;
  const points: HoltWintersForecastPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    const value = smoothing.level + h * smoothing.trend + (smoothing.seasonal[(h - 1) % m] ?? 0);
    const k = Math.floor((h - 1) / m);
    const variance =
      fit.sigma2 *
      (1 +
        (h - 1) * (alpha ** 2 + alpha * beta * h + (beta ** 2 * h * (2 * h - 1)) / 6) +
        gamma * k * (2 * alpha + gamma + beta * m * (k + 1)));
    const half = z * Math.sqrt(variance);
    points.push({ h, value, lower: value - half, upper: value + half });
  }
  return points;
}
