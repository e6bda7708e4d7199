/**
 * Route definitions of the quarterly exports (coordinators only): the versions of the quarterly Common Key
 * Indicators report, a preview of one, the download of each artefact, and building a draft, publishing it and
 * asking for a revision. The single source of their validation, handler types and OpenAPI entries.
 */
import { z } from 'zod';
import { QUARTERLY_FORMATS } from '@mosy/core';
import { defineRoute } from '@mosy/http';
import { ObservationSchema, PERIOD, REVISION } from './quarter-params.js';

const ReportVersionSchema = z
  .strictObject({
    period: z.string(),
    revision: z.number().int().min(0),
    builtAt: z.number().int(),
    builtBy: z.string(),
    checksums: z
      .record(z.string(), z.string())
      .meta({ description: 'SHA-256 (hex) of each artefact, by format.' }),
    published: z.strictObject({ at: z.number().int(), by: z.string() }).optional(),
  })
  .meta({ id: 'QuarterlyReportVersion' });

const BuildSchema = z
  .strictObject({
    version: ReportVersionSchema,
    created: z
      .boolean()
      .meta({ description: 'False when the version was stored already, or nothing changed.' }),
  })
  .meta({ id: 'QuarterlyBuild' });

export const LIST_EXPORTS = defineRoute({
  method: 'get',
  path: '/v1/exports/quarterly',
  operationId: 'listQuarterlyExports',
  summary: 'The versions of the quarterly report, newest first (coordinators).',
  tags: ['exports'],
  responses: {
    200: {
      description: 'Versions.',
      content: { 'application/json': z.strictObject({ versions: z.array(ReportVersionSchema) }) },
    },
  },
  // 404: this deployment has no reporting country (MOSY_REPORTING_COUNTRY), so it builds no quarterly report.
  problems: [401, 403, 404],
});

export const PREVIEW_EXPORT = defineRoute({
  method: 'get',
  path: '/v1/exports/quarterly/{period}/{revision}',
  operationId: 'previewQuarterlyExport',
  summary: 'One version: its metadata sheet and published observations (coordinators).',
  tags: ['exports'],
  params: z.strictObject({ period: PERIOD, revision: REVISION }),
  responses: {
    200: {
      description: 'The version.',
      content: {
        'application/json': z
          .strictObject({
            version: ReportVersionSchema,
            metadata: z.record(z.string(), z.unknown()).meta({ description: 'The metadata sheet.' }),
            observations: z.array(ObservationSchema),
          })
          .meta({ id: 'QuarterlyExportPreview' }),
      },
    },
  },
  problems: [400, 401, 403, 404],
});

export const DOWNLOAD_EXPORT = defineRoute({
  method: 'get',
  path: '/v1/exports/quarterly/{period}/{revision}/{format}',
  operationId: 'downloadQuarterlyExport',
  summary:
    'One artefact of a version, as an attachment with its SHA-256 in `Repr-Digest` (coordinators; audited).',
  tags: ['exports'],
  params: z.strictObject({
    period: PERIOD,
    revision: REVISION,
    format: z.enum(QUARTERLY_FORMATS).meta({ description: 'The artefact.' }),
  }),
  responses: {
    200: {
      description: 'The artefact.',
      content: { 'text/csv': z.string(), 'application/json': z.unknown() },
    },
  },
  problems: [400, 401, 403, 404],
});

export const DRAFT_EXPORT = defineRoute({
  method: 'post',
  path: '/v1/exports/quarterly/{period}/draft',
  operationId: 'draftQuarterlyExport',
  summary: 'Builds the draft of a closed quarter now, unless it has a version already (coordinators).',
  tags: ['exports'],
  params: z.strictObject({ period: PERIOD }),
  responses: { 200: { description: 'The draft.', content: { 'application/json': BuildSchema } } },
  problems: [400, 401, 403, 404],
});

export const PUBLISH_EXPORT = defineRoute({
  method: 'post',
  path: '/v1/exports/quarterly/{period}/{revision}/publish',
  operationId: 'publishQuarterlyExport',
  summary: 'Publishes a draft (coordinators).',
  tags: ['exports'],
  params: z.strictObject({ period: PERIOD, revision: REVISION }),
  responses: {
    200: { description: 'The published version.', content: { 'application/json': ReportVersionSchema } },
  },
  problems: [400, 401, 403, 404, 409],
});

export const REVISE_EXPORT = defineRoute({
  method: 'post',
  path: '/v1/exports/quarterly/{period}/revise',
  operationId: 'reviseQuarterlyExport',
  summary:
    'Builds the next revision of a published quarter from the current data, stored only if a published cell changed (coordinators).',
  tags: ['exports'],
  params: z.strictObject({ period: PERIOD }),
  responses: { 200: { description: 'The revision.', content: { 'application/json': BuildSchema } } },
  problems: [400, 401, 403, 404, 409],
});

export const EXPORT_ROUTES = [
  LIST_EXPORTS,
  PREVIEW_EXPORT,
  DOWNLOAD_EXPORT,
  DRAFT_EXPORT,
  PUBLISH_EXPORT,
  REVISE_EXPORT,
] as const;
