/**
 * The report API: the indicator catalogue and indicator values from the query model, the pipeline status (so a
 * client can tell when what it submitted is reflected in the counts), the taxonomy with labels and the region
 * names. Reports are aggregate only: no endpoint returns a record. Analysts and coordinators read reports;
 * providers read none (contract §5).
 */
import express, { type Router } from 'express';
import {
  AGE_CLASSES,
  AGE_GROUPS,
  EXPLOITATION,
  INDICATORS,
  LABOUR_SECTORS,
  MEANS_OF_CONTROL,
  MosyError,
  PROSECUTION_OUTCOMES,
  PROVIDER_TYPES,
  RECORD_KINDS,
  RECRUITER_RELATIONSHIP,
  SEX,
  TAXONOMY_VERSION,
  VICTIM_STATUS,
  YES_NO,
  COUNTRIES,
  parseIndicatorQuery,
  type IndicatorStore,
  type Registry,
} from '@mosy/core';
import { jsonRoute, requireRole, type Authenticator } from '@mosy/http';
import type { RegionName } from './regions.js';

export interface PipelineStatus {
  /** True when every accepted record is reflected in the store. */
  readonly idle: boolean;
  readonly stages: Readonly<Record<string, { readonly backlog: number }>>;
}

export interface ReportApiDeps {
  readonly store: IndicatorStore;
  readonly registry: Registry;
  readonly authenticate: Authenticator;
  readonly pipelineStatus: () => Promise<PipelineStatus>;
  /** NUTS region names from the geo data folder; empty when it is not configured. */
  readonly regions?: readonly RegionName[];
}

export function createReportApi(deps: ReportApiDeps): Router {
  const { store, registry, authenticate } = deps;
  const router = express.Router();
  const readers = requireRole(authenticate, 'analyst', 'coordinator');
  const anyRole = requireRole(authenticate, 'provider', 'analyst', 'coordinator', 'admin');

  router.get('/v1/indicators', readers, jsonRoute(async () => ({ indicators: INDICATORS })));

  router.get(
    '/v1/indicators/:id/values',
    readers,
    jsonRoute(async (req) => {
      const indicator = INDICATORS.find((i) => i.id === req.params.id);
      if (indicator === undefined) throw new MosyError('not-found', `No indicator "${String(req.params.id)}"; see /v1/indicators.`);
      const providers = await registry.listProviders();
      const query = parseIndicatorQuery(indicator, req.query as Record<string, string | string[] | undefined>, providers);
      const result = await store.query(query);
      return {
        indicator: indicator.id,
        unit: indicator.unit === 'cases' ? 'cases' : query.unit,
        cells: result.cells.map((cell) => ({
          ...cell.key,
          ...(cell.period === undefined ? {} : { period: cell.period }),
          value: cell.value,
        })),
        total: result.total,
      };
    }),
  );

  router.get(
    '/v1/status',
    anyRole,
    jsonRoute(async () => ({ ...(await deps.pipelineStatus()), records: await store.countRecords() })),
  );

  router.get(
    '/v1/taxonomy',
    jsonRoute(() =>
      Promise.resolve({
        version: TAXONOMY_VERSION,
        codeLists: {
          kind: RECORD_KINDS,
          sex: SEX,
          ageGroup: AGE_GROUPS,
          ageClass: AGE_CLASSES,
          exploitation: EXPLOITATION,
          status: VICTIM_STATUS,
          yesNo: YES_NO,
          meansOfControl: MEANS_OF_CONTROL,
          recruiterRelationship: RECRUITER_RELATIONSHIP,
          labourSector: LABOUR_SECTORS,
          outcome: PROSECUTION_OUTCOMES,
          providerType: PROVIDER_TYPES,
          country: COUNTRIES,
        },
      }),
    ),
  );

  router.get(
    '/v1/regions',
    jsonRoute((req) => {
      const level = req.query.level === undefined ? undefined : Number(req.query.level);
      const country = typeof req.query.country === 'string' ? req.query.country : undefined;
      const regions = (deps.regions ?? []).filter(
        (r) => (level === undefined || r.level === level) && (country === undefined || r.id.startsWith(country)),
      );
      return Promise.resolve({ nutsVersion: '2024', regions });
    }),
  );

  return router;
}
