/**
 * Route definitions of the indicator catalogue, ad-hoc values, the projection and the live stream (analysts and
 * coordinators): the single source of their validation, handler types and OpenAPI entries.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import { FORMAT, INDICATOR_ID, INDICATOR_QUERY, INTERVAL_CODES, PROTECTION, list, oneOf } from './query.js';
import { IndicatorSchema, ProjectionSchema, ValuesSchema } from './shapes.js';

/** Most quarters a projection looks ahead; beyond three years the interval is too wide to mean anything. */
export const MAX_PROJECTION_QUARTERS = 12;

const { by: _by, interval: _interval, ...UNBROKEN_QUERY } = INDICATOR_QUERY;
const csv = z.string();
const QUARTERS_MESSAGE = `must be a whole number from 1 to ${MAX_PROJECTION_QUARTERS}`;

export const LIST_INDICATORS = defineRoute({
  method: 'get',
  path: '/v1/indicators',
  operationId: 'listIndicators',
  summary: 'The indicator catalogue (EU Common Key Indicators).',
  tags: ['indicators'],
  responses: {
    200: {
      description: 'Indicators.',
      content: { 'application/json': z.strictObject({ indicators: z.array(IndicatorSchema) }) },
    },
  },
  problems: [401, 403],
});

export const INDICATOR_VALUES = defineRoute({
  method: 'get',
  path: '/v1/indicators/{id}/values',
  operationId: 'indicatorValues',
  summary: 'Ad-hoc indicator values (disclosure-controlled for analysts).',
  tags: ['indicators'],
  params: INDICATOR_ID,
  query: z.strictObject({ ...INDICATOR_QUERY, protection: PROTECTION, format: FORMAT }),
  responses: {
    200: { description: 'Values.', content: { 'application/json': ValuesSchema, 'text/csv': csv } },
  },
  problems: [400, 401, 403, 404],
});

export const INDICATOR_PROJECTION = defineRoute({
  method: 'get',
  path: '/v1/indicators/{id}/projection',
  operationId: 'indicatorProjection',
  summary:
    'Quarterly series and a Holt-Winters forecast with a prediction interval (at least 8 quarters of data).',
  tags: ['indicators'],
  params: INDICATOR_ID,
  query: z.strictObject({
    quarters: z
      .string({ error: 'give it once, as a plain value' })
      .regex(/^\d{1,2}$/, { error: QUARTERS_MESSAGE })
      .refine((n) => Number(n) >= 1 && Number(n) <= MAX_PROJECTION_QUARTERS, { error: QUARTERS_MESSAGE })
      .meta({ description: `Quarters to forecast (1–${MAX_PROJECTION_QUARTERS}).`, default: '4' })
      .optional(),
    level: oneOf(['0.8', '0.95'], 'Prediction-interval level.').default('0.95'),
    ...UNBROKEN_QUERY,
    protection: PROTECTION,
  }),
  responses: { 200: { description: 'The projection.', content: { 'application/json': ProjectionSchema } } },
  problems: [400, 401, 403, 404],
});

export const LIVE = defineRoute({
  method: 'get',
  path: '/v1/live',
  operationId: 'liveValues',
  summary:
    'Server-Sent Events: `snapshot` on connect, `update` after aggregated batches (at most one per 500 ms; polled every second when the aggregator runs in another process), heartbeat comments every 15 s. Each event’s data is a JSON array of `Values`.',
  tags: ['indicators'],
  query: z.strictObject({
    indicators: list('Indicator ids, comma-separated (at most 10).'),
    ...INDICATOR_QUERY,
    interval: oneOf(INTERVAL_CODES, 'Adds a `period` to each cell.').optional(),
    protection: PROTECTION,
  }),
  responses: {
    200: {
      description: 'An event stream; each `data:` line holds `Values[]`.',
      content: {
        'text/event-stream': z
          .string()
          .meta({ description: 'event: snapshot|update, data: Values[] as JSON' }),
      },
    },
  },
  problems: [400, 401, 403],
});
