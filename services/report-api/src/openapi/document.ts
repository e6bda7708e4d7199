/**
 * The OpenAPI 3.1 description of MoSy's whole HTTP API, both halves of the one port the embedded runtime serves:
 * ingest (submissions, receipts, provider quality, admin) and the report API (catalogue, values, reports,
 * projection, live stream, status, taxonomy, regions, audit), plus `/healthz`. Every error answers RFC 9457
 * problem details. The query filters are generated from the taxonomy, so a new canonical field is documented
 * without touching this file; `openapi.test.ts` checks real responses of every operation against it.
 */
import {
  CANONICAL_FIELDS,
  DERIVED_DIMENSIONS,
  ERROR_CODES,
  INTERVALS,
  PROVIDER_TYPES,
  ROLES,
} from '@mosy/core';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });
const ok = (description: string, schema: Json): Json => ({ description, content: json(schema) });
const problems = (...statuses: number[]): Json =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Problem${s}` }]));
const object = (properties: Json, required: string[] = Object.keys(properties)): Json => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const int = { type: 'integer', minimum: 0 };
const str = { type: 'string' };
const nullableCount = { type: ['integer', 'null'], minimum: 0 };
const query = (name: string, description: string, schema: Json = str): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const path = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: str,
});

/** The filter and breakdown parameters of an indicator query (`parseIndicatorQuery`). */
const INDICATOR_QUERY: Json[] = [
  query('by', 'Breakdown dimensions, comma-separated (at most 4), from the indicator’s `breakdowns`.'),
  query(
    'from',
    'First day or period: `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` or `YYYY` (widened to its first day).',
  ),
  query('to', 'Last day or period, as `from` (widened to its last day).'),
  query('interval', 'Adds a `period` to each cell.', { type: 'string', enum: [...INTERVALS] }),
  query('unit', '`persons` (distinct persons) or `records`; case indicators count records only.', {
    type: 'string',
    enum: ['persons', 'records'],
  }),
  query('providers', 'Provider ids and `type:<PROVIDER_TYPE>` tokens, comma-separated.'),
  query('geo', 'NUTS or country codes; each matches itself and every region below it.'),
  query('geoField', 'The geography `geo` filters.', {
    type: 'string',
    enum: ['regionOfIdentification', 'regionOfExploitation'],
  }),
  query('geoLevel', 'NUTS level of geography breakdowns.', { type: 'string', enum: ['0', '1', '2', '3'] }),
  ...[...CANONICAL_FIELDS, ...DERIVED_DIMENSIONS].map((field) =>
    query(
      field,
      `Filter: codes of \`${field}\`, comma-separated (only for indicators that have this dimension).`,
    ),
  ),
];
const ID = path('id', 'Indicator id, see `GET /v1/indicators`.');
const SDMX_FORMAT =
  '`sdmx-csv`: Eurostat’s SDMX-CSV 1.0 with Eurostat codes. Citizenship comes in the groups `NAT`, ' +
  '`EU27_2020_FOR`, `NEU27_2020_FOR`, `STLS`, `UNK` relative to the deployment’s reporting country (a person ' +
  'with citizenships in two groups counts in both), or in ISO codes when none is set. It needs an SDMX period: ' +
  'without `interval` a `from`..`to` of one year, quarter or month; with `interval=year` any frame; with a finer ' +
  'interval exactly one calendar year, written as the sub-annual rows (`2024-Q1`, `2024-03`, ISO week ' +
  '`2024-W11`, `2024-03-14`) and the annual row (freq `A`); the annual value minus the sub-annual ones counts ' +
  'what is dated only to a coarser precision (the `unspecified` bucket, left out). Otherwise 400 `invalid-query`.';
const FORMAT = (formats: string[]): Json =>
  query('format', formats.includes('sdmx-csv') ? `Output format. ${SDMX_FORMAT}` : 'Output format.', {
    type: 'string',
    enum: formats,
    default: 'json',
  });
const PROTECTION = query(
  'protection',
  '`none` for unprotected values (coordinators only; every such read is audited).',
  { type: 'string', enum: ['protected', 'none'] },
);
const csv = { 'text/csv': { schema: { type: 'string' } } };

const tableReportOp = (family: string, summary: string, formats: string[]): Json => ({
  tags: ['reports'],
  summary,
  operationId: `report${family[0]?.toUpperCase()}${family.slice(1).replace(/-(.)/g, (_, c: string) => c.toUpperCase())}`,
  security: [{ bearer: [] }],
  parameters: [ID, ...INDICATOR_QUERY, PROTECTION, FORMAT(formats)],
  responses: {
    '200': {
      description: 'The published table (CSV variants as attachments).',
      content: { ...json(ref('TableReport')), ...csv },
    },
    ...problems(400, 401, 403, 404),
  },
});

const schemas: Json = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details, with MoSy’s stable error `code`.',
    properties: {
      type: { type: 'string', format: 'uri' },
      title: str,
      status: { type: 'integer' },
      detail: str,
      code: { type: 'string', enum: Object.keys(ERROR_CODES) },
      issues: { type: 'array', items: ref('FieldIssue') },
    },
    required: ['type', 'title', 'status', 'detail', 'code'],
    additionalProperties: false,
  },
  FieldIssue: object({ field: str, code: str, message: str }),
  ProtectedValue: object({ value: nullableCount, flag: { const: 'c' } }, ['value']),
  Disclosure: {
    oneOf: [
      object({ method: { const: 'none' } }),
      object({ method: { const: 'suppression' }, threshold: int, withheld: int }),
      object({
        method: { const: 'cell-key' },
        threshold: int,
        maxPerturbation: int,
        variance: { type: 'number' },
        withheld: int,
      }),
    ],
  },
  Indicator: object({
    id: str,
    label: str,
    description: str,
    kind: str,
    unit: { type: 'string', enum: ['persons', 'cases'] },
    defaultFilters: { type: 'object', additionalProperties: { type: 'array', items: str } },
    breakdowns: { type: 'array', items: str },
    cki: { type: 'array', items: object({ ref: str, label: str, by: { type: 'array', items: str } }) },
  }),
  Values: {
    type: 'object',
    description: 'Indicator values: one cell per combination of the breakdowns (and period), and the total.',
    properties: {
      indicator: str,
      unit: { type: 'string', enum: ['persons', 'records', 'cases'] },
      cells: {
        type: 'array',
        items: {
          type: 'object',
          description:
            'The cell’s code per breakdown dimension, `period`, `value` (null when withheld), `flag`.',
          properties: { value: nullableCount, flag: { const: 'c' }, period: str },
          required: ['value'],
          additionalProperties: { type: 'string' },
        },
      },
      total: nullableCount,
      totalFlag: { const: 'c' },
      disclosure: ref('Disclosure'),
    },
    required: ['indicator', 'unit', 'cells', 'total', 'disclosure'],
    additionalProperties: false,
  },
  PublishedEntry: {
    type: 'object',
    properties: {
      key: { type: 'object', additionalProperties: str },
      value: nullableCount,
      flag: { const: 'c' },
    },
    required: ['key', 'value'],
    additionalProperties: false,
  },
  PublishedTable: object({
    dims: { type: 'array', items: str },
    cells: { type: 'array', items: ref('PublishedEntry') },
    margins: { type: 'array', items: ref('PublishedEntry') },
    total: ref('ProtectedValue'),
    disclosure: ref('Disclosure'),
  }),
  TableReport: object(
    {
      report: str,
      indicator: str,
      unit: { type: 'string', enum: ['persons', 'records', 'cases'] },
      filters: { type: 'object', additionalProperties: { type: 'array', items: str } },
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      interval: { type: 'string', enum: [...INTERVALS] },
      geoLevel: { type: 'integer', minimum: 0, maximum: 3 },
      dims: { type: 'array', items: str },
      cells: { type: 'array', items: ref('PublishedEntry') },
      margins: { type: 'array', items: ref('PublishedEntry') },
      total: ref('ProtectedValue'),
      disclosure: ref('Disclosure'),
    },
    ['report', 'indicator', 'unit', 'filters', 'dims', 'cells', 'margins', 'total', 'disclosure'],
  ),
  TotalReport: object(
    {
      report: { const: 'total' },
      indicator: str,
      unit: { type: 'string', enum: ['persons', 'cases'] },
      filters: { type: 'object', additionalProperties: { type: 'array', items: str } },
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      providers: { type: 'array', items: str },
      persons: ref('PublishedTable'),
      records: ref('PublishedTable'),
    },
    ['report', 'indicator', 'unit', 'filters', 'providers', 'records'],
  ),
  QualityReport: object(
    {
      report: { const: 'quality' },
      protection: { type: 'string', enum: ['protected', 'none'] },
      threshold: int,
      providers: {
        type: 'array',
        items: object(
          {
            providerId: str,
            completeness: {
              type: 'array',
              items: object({
                kind: str,
                field: str,
                records: ref('ProtectedValue'),
                unknown: ref('ProtectedValue'),
                unknownShare: { type: ['number', 'null'] },
              }),
            },
            timeliness: {
              type: 'array',
              description:
                'Days from the end of each record’s reference period to its arrival, per record kind (when the store computes it).',
              items: object({
                kind: str,
                records: ref('ProtectedValue'),
                meanLagDays: { type: ['number', 'null'] },
                within30: ref('ProtectedValue'),
                within90: ref('ProtectedValue'),
                within365: ref('ProtectedValue'),
              }),
            },
            events: {
              type: 'array',
              items: object(
                {
                  providerId: str,
                  kind: { type: 'string', enum: ['rejected', 'deadletter', 'unmapped', 'defaulted'] },
                  field: str,
                  value: str,
                  count: nullableCount,
                  flag: { const: 'c' },
                  lastSeen: int,
                },
                ['providerId', 'kind', 'field', 'value', 'count', 'lastSeen'],
              ),
            },
          },
          ['providerId', 'completeness', 'events'],
        ),
      },
    },
    ['report', 'protection', 'providers'],
  ),
  Projection: object({
    indicator: str,
    unit: { type: 'string', enum: ['persons', 'records', 'cases'] },
    series: {
      type: 'array',
      description: 'Historical quarters, disclosure-controlled like the values endpoint.',
      items: object(
        {
          period: { type: 'string', pattern: '^\\d{4}-Q[1-4]$' },
          value: nullableCount,
          flag: { const: 'c' },
        },
        ['period', 'value'],
      ),
    },
    forecast: {
      type: 'array',
      items: object({
        period: { type: 'string', pattern: '^\\d{4}-Q[1-4]$' },
        value: int,
        lower: int,
        upper: int,
      }),
    },
    method: object({
      name: { const: 'holt-winters-additive' },
      alpha: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      beta: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      gamma: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      seasonalPeriod: { const: 4 },
      level: { type: 'number', enum: [0.8, 0.95] },
    }),
    disclosure: ref('Disclosure'),
    notes: { type: 'array', items: str },
  }),
  Status: object({
    idle: { type: 'boolean' },
    stages: { type: 'object', additionalProperties: object({ backlog: int }) },
    records: int,
  }),
  Taxonomy: object({
    version: str,
    codeLists: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: str },
    },
  }),
  Regions: object({
    nutsVersion: str,
    regions: {
      type: 'array',
      items: object({ id: str, level: { type: 'integer' }, name: str, parent: str }, ['id', 'level', 'name']),
    },
  }),
  AuditEntries: object({
    entries: {
      type: 'array',
      items: object({ at: int, keyId: str, role: str, action: str, resource: str, query: str }),
    },
  }),
  SubmissionRequest: {
    type: 'object',
    properties: { records: { type: 'array', minItems: 1, items: ref('SubmittedRecord') } },
    required: ['records'],
    additionalProperties: false,
  },
  SubmittedRecord: {
    type: 'object',
    description:
      'One record in the provider’s own vocabulary (contract §2): `recordId`, `version`, `action`, `referenceDate`, identity and case fields as the provider’s mapping names them.',
    required: ['recordId', 'version'],
  },
  RecordReceipt: object(
    {
      index: int,
      recordId: str,
      version: int,
      status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
      issues: { type: 'array', items: ref('FieldIssue') },
    },
    ['recordId', 'version', 'status'],
  ),
  SubmissionReceipt: object({
    submissionId: str,
    providerId: str,
    receivedAt: int,
    accepted: int,
    duplicates: int,
    rejected: int,
    records: { type: 'array', items: ref('RecordReceipt') },
  }),
  QualityCounts: object({
    providerId: str,
    counts: {
      type: 'array',
      items: object({
        providerId: str,
        kind: { type: 'string', enum: ['rejected', 'deadletter', 'unmapped', 'defaulted'] },
        field: str,
        value: str,
        count: int,
        lastSeen: int,
      }),
    },
  }),
  Provider: object({
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    type: { type: 'string', enum: Object.keys(PROVIDER_TYPES) },
    name: str,
    mappingVersion: { type: 'integer', minimum: 1 },
    createdAt: int,
  }),
  Mapping: {
    type: 'object',
    description: 'A provider mapping document (format `mosy-mapping/1`, see docs/mapping.md).',
  },
  ProviderRequest: object({
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    type: { type: 'string', enum: Object.keys(PROVIDER_TYPES) },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    mapping: ref('Mapping'),
  }),
  KeyRequest: object(
    {
      role: { type: 'string', enum: [...ROLES] },
      providerId: str,
      label: { type: 'string', maxLength: 200 },
    },
    ['role'],
  ),
  NewKey: object(
    {
      id: str,
      key: { type: 'string', description: 'Shown once; store it.' },
      role: { type: 'string', enum: [...ROLES] },
      providerId: str,
    },
    ['id', 'key', 'role'],
  ),
  ApiKey: object(
    {
      id: str,
      role: { type: 'string', enum: [...ROLES] },
      providerId: str,
      label: str,
      createdAt: int,
      revokedAt: int,
    },
    ['id', 'role', 'createdAt'],
  ),
};

const PROBLEM_TEXT: Readonly<Record<number, string>> = {
  400: 'The request or query is not valid; `issues` name each offending field.',
  401: 'No valid API key (`Authorization: Bearer <key>`).',
  403: 'The key’s role may not use this endpoint.',
  404: 'No such resource.',
  409: 'Conflicts with the current state (e.g. the id exists).',
  413: 'The body or the number of records is over the limit.',
  415: 'Unsupported content type.',
};

/** Builds the document (a fresh object each call). */
export function createOpenApiDocument(): Json {
  const secured = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'MoSy API',
      version: '1.0.0',
      summary:
        'Monitoring system for trafficking in human beings: submissions from providers, aggregate reports.',
      description:
        'Providers submit case records (ingest); analysts and coordinators read aggregate, disclosure-controlled indicator values and reports; admins manage providers and keys. No endpoint returns a record or personal data. Errors are RFC 9457 problem details (`application/problem+json`).',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'ingest', description: 'Submissions and receipts (provider keys).' },
      { name: 'admin', description: 'Providers, mappings and API keys (admin keys or the bootstrap token).' },
      { name: 'indicators', description: 'Catalogue, ad-hoc values, projection and the live stream.' },
      { name: 'reports', description: 'Report families in JSON, CSV or SDMX-CSV.' },
      { name: 'meta', description: 'Health, status, taxonomy, regions, audit and this document.' },
    ],
    security: secured,
    paths: {
      '/healthz': {
        get: {
          tags: ['meta'],
          summary: 'Liveness.',
          operationId: 'health',
          security: [],
          responses: { '200': ok('Alive.', object({ status: { const: 'ok' } })) },
        },
      },
      '/openapi.json': {
        get: {
          tags: ['meta'],
          summary: 'This document.',
          operationId: 'openApi',
          security: [],
          responses: {
            '200': ok('The OpenAPI 3.1 document.', { type: 'object', required: ['openapi', 'paths'] }),
          },
        },
      },
      '/docs': {
        get: {
          tags: ['meta'],
          summary: 'A readable page of this document (self-contained HTML).',
          operationId: 'docs',
          security: [],
          responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: str } } } },
        },
      },
      '/v1/submissions': {
        post: {
          tags: ['ingest'],
          summary: 'Submit records (JSON `{"records": [...]}` or CSV with a header row).',
          operationId: 'submit',
          requestBody: {
            required: true,
            content: { ...json(ref('SubmissionRequest')), 'text/csv': { schema: str } },
          },
          responses: {
            '202': ok('Accepted for processing; per-record receipts.', ref('SubmissionReceipt')),
            ...problems(400, 401, 403, 413, 415),
          },
        },
      },
      '/v1/submissions/{submissionId}': {
        get: {
          tags: ['ingest'],
          summary: 'The receipt of one of the provider’s submissions.',
          operationId: 'getSubmission',
          parameters: [path('submissionId', 'From the submission’s receipt.')],
          responses: { '200': ok('The receipt.', ref('SubmissionReceipt')), ...problems(401, 403, 404) },
        },
      },
      '/v1/quality': {
        get: {
          tags: ['ingest'],
          summary:
            'The provider’s own data-quality counts (rejects, dead letters, unmapped and defaulted values).',
          operationId: 'providerQuality',
          responses: { '200': ok('Counts.', ref('QualityCounts')), ...problems(401, 403) },
        },
      },
      '/v1/admin/providers': {
        post: {
          tags: ['admin'],
          summary: 'Register a provider with its first mapping; returns its first key once.',
          operationId: 'createProvider',
          requestBody: { required: true, content: json(ref('ProviderRequest')) },
          responses: {
            '201': ok(
              'Created.',
              object({
                provider: ref('Provider'),
                key: { type: 'string', description: 'Shown once.' },
                keyId: str,
              }),
            ),
            ...problems(400, 401, 403, 409),
          },
        },
        get: {
          tags: ['admin'],
          summary: 'List providers.',
          operationId: 'listProviders',
          responses: {
            '200': ok('Providers.', object({ providers: { type: 'array', items: ref('Provider') } })),
            ...problems(401, 403),
          },
        },
      },
      '/v1/admin/providers/{id}': {
        get: {
          tags: ['admin'],
          summary: 'A provider and its current mapping.',
          operationId: 'getProvider',
          parameters: [path('id', 'Provider id.')],
          responses: {
            '200': ok('The provider.', object({ provider: ref('Provider'), mapping: ref('Mapping') })),
            ...problems(401, 403, 404),
          },
        },
      },
      '/v1/admin/providers/{id}/mapping': {
        put: {
          tags: ['admin'],
          summary: 'Store a new mapping version and make it current.',
          operationId: 'putMapping',
          parameters: [path('id', 'Provider id.')],
          requestBody: { required: true, content: json(ref('Mapping')) },
          responses: {
            '200': ok(
              'The new version.',
              object({ providerId: str, version: { type: 'integer', minimum: 1 } }),
            ),
            ...problems(400, 401, 403, 404),
          },
        },
      },
      '/v1/admin/providers/{id}/coverage': {
        get: {
          tags: ['admin'],
          summary: 'Provider values the mapping did not cover, with counts.',
          operationId: 'mappingCoverage',
          parameters: [path('id', 'Provider id.')],
          responses: {
            '200': ok(
              'Unmapped values.',
              object({
                providerId: str,
                unmapped: {
                  type: 'array',
                  items: object({ field: str, value: str, count: int, lastSeen: int }),
                },
              }),
            ),
            ...problems(401, 403, 404),
          },
        },
      },
      '/v1/admin/keys': {
        post: {
          tags: ['admin'],
          summary: 'Issue an API key (shown once).',
          operationId: 'createKey',
          requestBody: { required: true, content: json(ref('KeyRequest')) },
          responses: { '201': ok('The new key.', ref('NewKey')), ...problems(400, 401, 403) },
        },
        get: {
          tags: ['admin'],
          summary: 'List keys (never their secrets or hashes).',
          operationId: 'listKeys',
          responses: {
            '200': ok('Keys.', object({ keys: { type: 'array', items: ref('ApiKey') } })),
            ...problems(401, 403),
          },
        },
      },
      '/v1/admin/keys/{id}': {
        delete: {
          tags: ['admin'],
          summary: 'Revoke a key (idempotent).',
          operationId: 'revokeKey',
          parameters: [path('id', 'Key id.')],
          responses: { '204': { description: 'Revoked.' }, ...problems(401, 403, 404) },
        },
      },
      '/v1/indicators': {
        get: {
          tags: ['indicators'],
          summary: 'The indicator catalogue (EU Common Key Indicators).',
          operationId: 'listIndicators',
          responses: {
            '200': ok('Indicators.', object({ indicators: { type: 'array', items: ref('Indicator') } })),
            ...problems(401, 403),
          },
        },
      },
      '/v1/indicators/{id}/values': {
        get: {
          tags: ['indicators'],
          summary: 'Ad-hoc indicator values (disclosure-controlled for analysts).',
          operationId: 'indicatorValues',
          parameters: [ID, ...INDICATOR_QUERY, PROTECTION, FORMAT(['json', 'csv'])],
          responses: {
            '200': { description: 'Values.', content: { ...json(ref('Values')), ...csv } },
            ...problems(400, 401, 403, 404),
          },
        },
      },
      '/v1/indicators/{id}/projection': {
        get: {
          tags: ['indicators'],
          summary:
            'Quarterly series and a Holt-Winters forecast with a prediction interval (at least 8 quarters of data).',
          operationId: 'indicatorProjection',
          parameters: [
            ID,
            query('quarters', 'Quarters to forecast.', {
              type: 'integer',
              minimum: 1,
              maximum: 12,
              default: 4,
            }),
            query('level', 'Prediction-interval level.', {
              type: 'string',
              enum: ['0.8', '0.95'],
              default: '0.95',
            }),
            ...INDICATOR_QUERY.filter((p) => !['by', 'interval'].includes(String(p.name))),
          ],
          responses: { '200': ok('The projection.', ref('Projection')), ...problems(400, 401, 403, 404) },
        },
      },
      '/v1/live': {
        get: {
          tags: ['indicators'],
          summary:
            'Server-Sent Events: `snapshot` on connect, `update` after aggregated batches (at most one per 500 ms; polled every second when the aggregator runs in another process), heartbeat comments every 15 s. Each event’s data is a JSON array of `Values`.',
          operationId: 'liveValues',
          parameters: [
            {
              ...query('indicators', 'Indicator ids, comma-separated (at most 10).'),
              required: true,
            },
            ...INDICATOR_QUERY.filter((p) => p.name !== 'interval'),
            query('interval', 'Adds a `period` to each cell.', { type: 'string', enum: [...INTERVALS] }),
          ],
          responses: {
            '200': {
              description: 'An event stream; each `data:` line holds `Values[]`.',
              content: {
                'text/event-stream': {
                  schema: { type: 'string', description: 'event: snapshot|update, data: Values[] as JSON' },
                },
              },
            },
            ...problems(400, 401, 403),
          },
        },
      },
      '/v1/reports/simple/{id}': {
        get: tableReportOp('simple', 'Simple report: the indicator by its breakdowns, with margins.', [
          'json',
          'csv',
          'sdmx-csv',
        ]),
      },
      '/v1/reports/total/{id}': {
        get: {
          tags: ['reports'],
          summary: 'Total report: per provider and combined (distinct persons across providers).',
          operationId: 'reportTotal',
          parameters: [ID, ...INDICATOR_QUERY, PROTECTION, FORMAT(['json', 'csv'])],
          responses: {
            '200': { description: 'The report.', content: { ...json(ref('TotalReport')), ...csv } },
            ...problems(400, 401, 403, 404),
          },
        },
      },
      '/v1/reports/time-frame/{id}': {
        get: tableReportOp('time-frame', 'Time-frame report: the indicator over periods.', [
          'json',
          'csv',
          'sdmx-csv',
        ]),
      },
      '/v1/reports/geo/{id}': {
        get: tableReportOp('geo', 'Geographical report: the indicator by region.', [
          'json',
          'csv',
          'sdmx-csv',
        ]),
      },
      '/v1/reports/quality': {
        get: {
          tags: ['reports'],
          summary:
            'Data quality: field completeness, timeliness and intake events per provider (a provider sees its own).',
          operationId: 'reportQuality',
          parameters: [query('providers', 'Provider ids, comma-separated.'), PROTECTION],
          responses: { '200': ok('The report.', ref('QualityReport')), ...problems(400, 401, 403) },
        },
      },
      '/v1/audit': {
        get: {
          tags: ['meta'],
          summary: 'The audit log of unprotected reads, newest first (coordinators and admins).',
          operationId: 'audit',
          parameters: [
            query('since', 'Epoch milliseconds.', { type: 'string', pattern: '^\\d{1,15}$' }),
            query('limit', 'Most entries.', { type: 'string', pattern: '^\\d{1,15}$' }),
          ],
          responses: { '200': ok('Entries.', ref('AuditEntries')), ...problems(400, 401, 403) },
        },
      },
      '/v1/status': {
        get: {
          tags: ['meta'],
          summary: 'Pipeline status: whether every accepted record is reflected in the counts.',
          operationId: 'status',
          responses: { '200': ok('Status.', ref('Status')), ...problems(401) },
        },
      },
      '/v1/taxonomy': {
        get: {
          tags: ['meta'],
          summary: 'The canonical code lists with labels.',
          operationId: 'taxonomy',
          security: [],
          responses: { '200': ok('Code lists.', ref('Taxonomy')) },
        },
      },
      '/v1/regions': {
        get: {
          tags: ['meta'],
          summary: 'NUTS 2024 region names (empty when the geo data folder is not configured).',
          operationId: 'regions',
          security: [],
          parameters: [
            query('level', 'NUTS level.', { type: 'string', enum: ['0', '1', '2', '3'] }),
            query('country', 'Code prefix, e.g. `BE`.'),
          ],
          responses: { '200': ok('Regions.', ref('Regions')) },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`mosy_<role>_…`) or the bootstrap admin token.',
        },
      },
      schemas,
      responses: Object.fromEntries(
        Object.entries(PROBLEM_TEXT).map(([status, description]) => [
          `Problem${status}`,
          { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
        ]),
      ),
    },
  };
}
