/**
 * Trend projection of one indicator: its quarterly series under the same filters as the values endpoint and a
 * forecast of the next quarters with a prediction interval, by additive Holt-Winters (seasonal period 4). What is
 * published is disclosure-safe: the historical quarters go through `protectResult` (for analysts the deployment's
 * ad-hoc method, as the values endpoint; none for coordinators); the model is fitted to the perturbed quarters
 * under the cell key method and to the true ones otherwise, and the forecast is rounded to whole numbers and
 * floored at zero. Records dated only to the year (`YYYY-unspecified` buckets) cannot be placed in a
 * quarter and are left out of the series; the response's `notes` say so.
 */
import express, { type Router } from 'express';
import {
  INDICATORS,
  MosyError,
  UNSPECIFIED_PERIOD_SUFFIX,
  fitHoltWinters,
  forecastHoltWinters,
  parseIndicatorQuery,
  protectResult,
  perturbedCount,
  resolvePerturbationTable,
  cellKeyOf,
  type AuditLog,
  type IndicatorStore,
  type QueryParams,
  type Registry,
} from '@mosy/core';
import { jsonHandler, mountRoute, requireRole, type Authenticator } from '@mosy/http';
import { INDICATOR_PROJECTION } from './api/indicators.js';
import { resolveProtection } from './audit.js';
import { DEFAULT_DISCLOSURE, type DisclosureSettings } from './settings.js';

export interface ProjectionDeps {
  readonly store: IndicatorStore;
  readonly registry: Registry;
  readonly authenticate: Authenticator;
  /** Where a coordinator's read of the unprotected series (`protection=none`) is recorded. */
  readonly audit: AuditLog;
  /** Disclosure control of analysts' series. @defaultValue `DEFAULT_DISCLOSURE` */
  readonly disclosure?: DisclosureSettings;
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

/** Fewest historical quarters to fit a seasonal model: two full years. */
export const MIN_PROJECTION_QUARTERS = 8;
const OWN_PARAMS = ['quarters', 'level', 'protection'] as const;

/** A quarter label `2026-Q1` as a running quarter number and back. */
const quarterIndex = (label: string): number | undefined => {
  const match = /^(\d{4})-Q([1-4])$/.exec(label);
  return match ? Number(match[1]) * 4 + Number(match[2]) - 1 : undefined;
};
const quarterLabel = (index: number): string => `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
const quarterOfDate = (day: string): number =>
  Number(day.slice(0, 4)) * 4 + Math.ceil(Number(day.slice(5, 7)) / 3) - 1;

/** Routes: `GET /v1/indicators/:id/projection` for analysts and coordinators. */
export function createProjectionRoutes(deps: ProjectionDeps): Router {
  const { store, registry, authenticate } = deps;
  const router = express.Router();
  mountRoute(
    router,
    INDICATOR_PROJECTION,
    requireRole(authenticate, 'analyst', 'coordinator'),
    jsonHandler(INDICATOR_PROJECTION)(async ({ req, params, query: own }) => {
      const indicator = INDICATORS.find((i) => i.id === params.id);
      if (indicator === undefined)
        throw new MosyError('not-found', `No indicator "${params.id}"; see /v1/indicators.`);
      const quarters = own.quarters === undefined ? 4 : Number(own.quarters);
      const level = own.level === '0.8' ? 0.8 : 0.95;
      // The schema leaves out `by` and `interval`: a projection is one quarterly series.
      const parsed = parseIndicatorQuery(
        indicator,
        req.query as QueryParams,
        await registry.listProviders(),
        {
          ignore: OWN_PARAMS,
        },
      );
      const { threshold, adHoc } = deps.disclosure ?? DEFAULT_DISCLOSURE;
      const query = { ...parsed, interval: 'quarter' as const };
      // Key sums whatever the reader: the protection is decided (and audited) only once the request is valid.
      const result = await store.query(adHoc === 'perturb' ? { ...query, keySums: true } : query);

      const observed = result.cells
        .map((cell) => ({ ...cell, index: quarterIndex(cell.period ?? '') }))
        .filter((c): c is typeof c & { index: number } => c.index !== undefined);
      const first =
        query.from === undefined ? Math.min(...observed.map((c) => c.index)) : quarterOfDate(query.from);
      const last =
        query.to === undefined ? Math.max(...observed.map((c) => c.index)) : quarterOfDate(query.to);
      const span = Number.isFinite(first) && Number.isFinite(last) ? last - first + 1 : 0;
      if (span < MIN_PROJECTION_QUARTERS)
        throw new MosyError(
          'invalid-query',
          `A projection needs at least ${MIN_PROJECTION_QUARTERS} quarters of data; the selection spans ${Math.max(span, 0)}.`,
          {
            issues: [
              {
                field: 'from',
                code: 'invalid-query',
                message: `from: choose a period of at least ${MIN_PROJECTION_QUARTERS} quarters with data`,
              },
            ],
          },
        );
      // Cells and total are protected as one line, so the withheld quarters cannot be recovered from the total.
      const mode =
        (await resolveProtection(req, deps.audit, deps.now ?? Date.now)) === 'none' ? 'none' : adHoc;
      // With the cell key method the model is fitted to the perturbed quarters (each one's value before
      // withholding), so the forecast depends on the same set-determined noise as every other output and
      // differencing two projections tells no more than differencing their series.
      const perturbation = mode === 'perturb' ? resolvePerturbationTable({ threshold }) : undefined;
      const byIndex = new Map(
        observed.map((c) => [
          c.index,
          perturbation === undefined || c.keySum === undefined
            ? c.value
            : perturbedCount(c.value, cellKeyOf(c.keySum), perturbation),
        ]),
      );
      const values = Array.from({ length: span }, (_, i) => byIndex.get(first + i) ?? 0);
      const inSpan = result.cells.filter((cell) => {
        const index = quarterIndex(cell.period ?? '');
        return index === undefined || (index >= first && index <= last);
      });
      const protectedResult = protectResult(
        {
          cells: inSpan.map((cell) => ({
            key: {},
            period: cell.period ?? '',
            value: cell.value,
            ...(cell.keySum === undefined ? {} : { keySum: cell.keySum }),
          })),
          total: result.total,
          ...(result.totalKeySum === undefined ? {} : { totalKeySum: result.totalKeySum }),
        },
        mode,
        { threshold },
      );
      const published = new Map(protectedResult.cells.map((cell) => [cell.period, cell]));
      const series = values.map((_, i) => {
        const period = quarterLabel(first + i);
        const cell = published.get(period);
        return cell === undefined
          ? { period, value: 0 }
          : { period, value: cell.value, ...(cell.flag === undefined ? {} : { flag: cell.flag }) };
      });
      const unspecified = result.cells.filter(
        (cell) => cell.period?.endsWith(UNSPECIFIED_PERIOD_SUFFIX) === true,
      );

      const fit = fitHoltWinters(values, { seasonalPeriod: 4 });
      const forecast = forecastHoltWinters(fit, quarters, level).map((point) => ({
        period: quarterLabel(last + point.h),
        value: Math.max(0, Math.round(point.value)),
        lower: Math.max(0, Math.round(point.lower)),
        upper: Math.max(0, Math.round(point.upper)),
      }));
      const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
      const notes = [
        'Quarters without records count as 0.',
        'Forecast and interval are rounded to whole numbers and floored at 0.',
        'The interval assumes normal errors and known parameters, so it is somewhat too narrow for short series.',
      ];
      if (unspecified.length > 0)
        notes.unshift(
          `Records dated only to the year (${unspecified.map((c) => c.period).join(', ')}) are not in the series.`,
        );
      return {
        indicator: indicator.id,
        unit: indicator.unit === 'cases' ? 'cases' : query.unit,
        series,
        forecast,
        method: {
          name: 'holt-winters-additive',
          alpha: round4(fit.params.alpha),
          beta: round4(fit.params.beta),
          gamma: round4(fit.params.gamma),
          seasonalPeriod: 4,
          level,
        },
        disclosure: protectedResult.disclosure,
        notes,
      };
    }),
  );
  return router;
}
