/**
 * Route definitions of the hub: the hub's admin registers a national node (and gets its node key once), a node
 * publishes or withdraws its published quarterly reports (observations with their flags, never records), analysts
 * and coordinators read EU totals, country comparisons and citizenship flows; and, on a national node, a
 * coordinator sends a published version to the hub.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import { ObservationSchema, PERIOD, REVISION } from './quarter-params.js';

const COUNTRY = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 code in capitals (e.g. PT; EL for Greece)' })
  .meta({ description: 'The national node’s country, e.g. `PT`.' });
const Key = z.record(z.string(), z.string());
const HubObservationSchema = ObservationSchema.refine((o) => (o.value === null) === (o.flag === 'c'), {
  error: 'a withheld value (null) has flag c, and only a withheld value has it',
});

const ReceiptSchema = z
  .strictObject({
    country: z.string(),
    period: z.string(),
    revision: z.number().int().min(0),
    outcome: z.enum(['stored', 'same']).meta({ description: '`same`: that revision was held already.' }),
  })
  .meta({ id: 'HubReceipt' });

export const REGISTER_NODE = defineRoute({
  method: 'post',
  path: '/v1/hub/nodes',
  operationId: 'registerHubNode',
  summary: 'Registers a national node and issues its node key, shown once (hub admin).',
  tags: ['hub'],
  body: { 'application/json': z.strictObject({ country: COUNTRY, label: z.string().max(200).optional() }) },
  responses: {
    201: {
      description: 'The node key.',
      content: {
        'application/json': z
          .strictObject({ id: z.string(), key: z.string(), country: z.string() })
          .meta({ id: 'NodeKey' }),
      },
    },
  },
  problems: [400, 401, 403, 404, 413],
});

export const PUT_HUB_REPORT = defineRoute({
  method: 'put',
  path: '/v1/hub/reports/{country}/{period}',
  operationId: 'putHubReport',
  summary:
    'A node publishes a revision of its quarterly report: a re-sent revision changes nothing, a newer one replaces, an older one is refused (node keys, own country only).',
  tags: ['hub'],
  params: z.strictObject({ country: COUNTRY, period: PERIOD }),
  body: {
    'application/json': z
      .strictObject({
        revision: z.number().int().min(0).max(9999),
        observations: z.array(HubObservationSchema).max(200_000),
      })
      .meta({ id: 'HubReport' }),
  },
  responses: { 200: { description: 'Received.', content: { 'application/json': ReceiptSchema } } },
  problems: [400, 401, 403, 404, 409, 413],
});

export const WITHDRAW_HUB_REPORT = defineRoute({
  method: 'delete',
  path: '/v1/hub/reports/{country}/{period}',
  operationId: 'withdrawHubReport',
  summary:
    'A node withdraws its report of a quarter; a newer revision publishes it again (node keys, own country).',
  tags: ['hub'],
  params: z.strictObject({ country: COUNTRY, period: PERIOD }),
  responses: {
    200: {
      description: 'Withdrawn.',
      content: {
        'application/json': z.strictObject({ country: z.string(), period: z.string(), revision: z.number() }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

const HUB_QUERY = z.strictObject({ period: PERIOD });
const CountriesSchema = z.array(z.strictObject({ country: z.string(), revision: z.number().int().min(0) }));

export const HUB_TOTALS = defineRoute({
  method: 'get',
  path: '/v1/hub/totals',
  operationId: 'hubTotals',
  summary:
    'EU totals of a quarter per indicator, breakdown and period: the sum over the countries that sent it; withheld (flag c) when any country withheld its value.',
  tags: ['hub'],
  query: HUB_QUERY,
  responses: {
    200: {
      description: 'Totals.',
      content: {
        'application/json': z
          .strictObject({
            period: z.string(),
            reports: CountriesSchema,
            totals: z.array(
              z.strictObject({
                key: Key,
                value: z.number().int().nullable(),
                flag: z.literal('c').optional(),
                countries: z.array(z.string()),
                withheldBy: z.array(z.string()),
              }),
            ),
          })
          .meta({ id: 'HubTotals' }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

export const HUB_COMPARISON = defineRoute({
  method: 'get',
  path: '/v1/hub/comparison',
  operationId: 'hubComparison',
  summary: 'Each country’s published value side by side, per observation of a quarter (null: withheld).',
  tags: ['hub'],
  query: HUB_QUERY,
  responses: {
    200: {
      description: 'Comparisons.',
      content: {
        'application/json': z.strictObject({
          period: z.string(),
          reports: CountriesSchema,
          comparisons: z.array(
            z.strictObject({ key: Key, values: z.record(z.string(), z.number().int().nullable()) }),
          ),
        }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

export const HUB_FLOWS = defineRoute({
  method: 'get',
  path: '/v1/hub/flows',
  operationId: 'hubFlows',
  summary: 'Citizenship → country of exploitation flows of a quarter across countries, for the map.',
  tags: ['hub'],
  query: HUB_QUERY,
  responses: {
    200: {
      description: 'Flows.',
      content: {
        'application/json': z.strictObject({
          period: z.string(),
          reports: CountriesSchema,
          flows: z.array(
            z.strictObject({
              indicator: z.string(),
              period: z.string(),
              citizenship: z.string(),
              exploitation: z.string(),
              value: z.number().int().nullable(),
              flag: z.literal('c').optional(),
            }),
          ),
        }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

export const SEND_EXPORT = defineRoute({
  method: 'post',
  path: '/v1/exports/quarterly/{period}/{revision}/send',
  operationId: 'sendQuarterlyExport',
  summary:
    'Sends a published version to the hub (MOSY_HUB_URL, MOSY_HUB_NODE_KEY), retrying with backoff (coordinators).',
  tags: ['exports'],
  params: z.strictObject({ period: PERIOD, revision: REVISION }),
  responses: { 200: { description: 'The hub’s receipt.', content: { 'application/json': ReceiptSchema } } },
  problems: [400, 401, 403, 404, 409],
});

export const HUB_ROUTES = [
  REGISTER_NODE,
  PUT_HUB_REPORT,
  WITHDRAW_HUB_REPORT,
  HUB_TOTALS,
  HUB_COMPARISON,
  HUB_FLOWS,
  SEND_EXPORT,
] as const;
