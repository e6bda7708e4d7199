/** Forecasting for trend projections: additive Holt-Winters with ETS(A,A,A) prediction intervals. */
export {
  fitHoltWinters,
  forecastHoltWinters,
  initialHoltWintersState,
  smoothHoltWinters,
} from './holt-winters.js';
export type {
  FitHoltWintersOptions,
  HoltWintersFit,
  HoltWintersForecastPoint,
  HoltWintersInitialState,
  HoltWintersParams,
  HoltWintersSmoothing,
} from './holt-winters.js';
