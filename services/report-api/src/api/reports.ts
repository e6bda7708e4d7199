/**
 * Route definitions of the report families (simple, total, time-frame, geo, quality): the single source of their
 * validation, handler types and OpenAPI entries. Table reports come as JSON, CSV or SDMX-CSV.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import { FORMAT, INDICATOR_ID, INDICATOR_QUERY, PROTECTION, TABLE_FORMAT, list, oneOf } from './query.js';
import { QualityReportSchema, TableReportSchema, TotalReportSchema } from './shapes.js';

const tableResponses = {
  200: {
    description: 'The published table (CSV variants as attachments).',
    content: { 'application/json': TableReportSchema, 'text/csv': z.string() },
  },
} as const;
const TABLE_QUERY = { ...INDICATOR_QUERY, protection: PROTECTION, format: TABLE_FORMAT };

export const SIMPLE_REPORT = defineRoute({
  method: 'get',
  path: '/v1/reports/simple/{id}',
  operationId: 'reportSimple',
  summary: 'Simple report: the indicator by its breakdowns, with margins.',
  tags: ['reports'],
  params: INDICATOR_ID,
  query: z.strictObject(TABLE_QUERY),
  responses: tableResponses,
  problems: [400, 401, 403, 404],
});

export const TOTAL_REPORT = defineRoute({
  method: 'get',
  path: '/v1/reports/total/{id}',
  operationId: 'reportTotal',
  summary: 'Total report: per provider and combined (distinct persons across providers).',
  tags: ['reports'],
  params: INDICATOR_ID,
  query: z.strictObject({ ...INDICATOR_QUERY, protection: PROTECTION, format: FORMAT }),
  responses: {
    200: {
      description: 'The report.',
      content: { 'application/json': TotalReportSchema, 'text/csv': z.string() },
    },
  },
  problems: [400, 401, 403, 404],
});

export const TIME_FRAME_REPORT = defineRoute({
  method: 'get',
  path: '/v1/reports/time-frame/{id}',
  operationId: 'reportTimeFrame',
  summary: 'Time-frame report: the indicator over periods.',
  tags: ['reports'],
  params: INDICATOR_ID,
  query: z.strictObject({
    ...TABLE_QUERY,
    compare: oneOf(['previous'], 'Adds the same table for the period of the same length before.').optional(),
  }),
  responses: tableResponses,
  problems: [400, 401, 403, 404],
});

export const GEO_REPORT = defineRoute({
  method: 'get',
  path: '/v1/reports/geo/{id}',
  operationId: 'reportGeo',
  summary: 'Geographical report: the indicator by region.',
  tags: ['reports'],
  params: INDICATOR_ID,
  query: z.strictObject({
    ...TABLE_QUERY,
    level: oneOf(['0', '1', '2', '3', 'country'], 'NUTS level of the regions (`country` is 0).').optional(),
    flows: oneOf(['citizenship'], 'Flows citizenship → region of exploitation instead.').optional(),
  }),
  responses: tableResponses,
  problems: [400, 401, 403, 404],
});

export const QUALITY_REPORT = defineRoute({
  method: 'get',
  path: '/v1/reports/quality',
  operationId: 'reportQuality',
  summary:
    'Data quality: field completeness, timeliness and intake events per provider (a provider sees its own).',
  tags: ['reports'],
  query: z.strictObject({
    providers: list('Provider ids, comma-separated.').optional(),
    protection: PROTECTION,
  }),
  responses: { 200: { description: 'The report.', content: { 'application/json': QualityReportSchema } } },
  problems: [400, 401, 403],
});
