/**
 * Route definitions of submissions, receipts and a provider's own quality counts (provider keys): the single
 * source of their validation, handler types and OpenAPI entries.
 */
import { z } from 'zod';
import { defineRoute } from '@mosy/http';
import {
  MappingSchema,
  ProviderSchema,
  QualityCountsSchema,
  SubmissionReceiptSchema,
  SubmissionRequestSchema,
} from './shapes.js';

/** The media type of an `.xlsx` upload (IOM's HTCDS 2.0 Excel template). */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const SUBMIT = defineRoute({
  method: 'post',
  path: '/v1/submissions',
  operationId: 'submit',
  summary:
    'Submit records (JSON `{"records": [...]}`, CSV with a header row, or IOM’s HTCDS 2.0 Excel template as .xlsx).',
  tags: ['ingest'],
  query: z.strictObject({
    dryRun: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().meta({
      description:
        '`true`: check every record as a submission would and answer the receipt it would get, accepting nothing (no record, receipt or quality count is kept).',
    }),
  }),
  body: {
    'application/json': SubmissionRequestSchema,
    // Read as bytes: the separator (`,` `;` tab) and the encoding (UTF-8, Windows-1252) are detected from them.
    'text/csv': z
      .custom<Buffer>((value) => Buffer.isBuffer(value), 'The CSV body must be bytes.')
      .meta({
        type: 'string',
        description:
          'UTF-8 (with or without BOM) or Windows-1252; `,`, `;` or tab. MoSy columns, or HTCDS 2.0 column names.',
      }),
    [XLSX_MEDIA_TYPE]: z
      .custom<Buffer>((value) => Buffer.isBuffer(value), 'The workbook must be bytes.')
      .meta({
        type: 'string',
        format: 'binary',
        description:
          'IOM’s HTCDS 2.0 Excel template, filled in (one row a case), for a provider with the htcds-2.0 mapping.',
      }),
  },
  responses: {
    202: {
      description: 'Accepted for processing; per-record receipts.',
      content: { 'application/json': SubmissionReceiptSchema },
    },
  },
  problems: [400, 401, 403, 413, 415],
});

export const GET_SUBMISSION = defineRoute({
  method: 'get',
  path: '/v1/submissions/{submissionId}',
  operationId: 'getSubmission',
  summary: 'The receipt of one of the provider’s submissions.',
  tags: ['ingest'],
  params: z.object({ submissionId: z.string().meta({ description: 'From the submission’s receipt.' }) }),
  responses: {
    200: { description: 'The receipt.', content: { 'application/json': SubmissionReceiptSchema } },
  },
  problems: [401, 403, 404],
});

export const PROVIDER_QUALITY = defineRoute({
  method: 'get',
  path: '/v1/quality',
  operationId: 'providerQuality',
  summary: 'The provider’s own data-quality counts (rejects, dead letters, unmapped and defaulted values).',
  tags: ['ingest'],
  responses: { 200: { description: 'Counts.', content: { 'application/json': QualityCountsSchema } } },
  problems: [401, 403],
});

export const OWN_MAPPING = defineRoute({
  method: 'get',
  path: '/v1/mapping',
  operationId: 'ownMapping',
  summary: 'The provider’s own registration and current mapping (what its records are checked against).',
  tags: ['ingest'],
  responses: {
    200: {
      description: 'The provider and its current mapping.',
      content: { 'application/json': z.strictObject({ provider: ProviderSchema, mapping: MappingSchema }) },
    },
  },
  problems: [401, 403],
});
