/**
 * The shapes ingest's routes send and receive, as zod schemas named for the OpenAPI document's components: what a
 * provider submits, the receipts it gets back, its quality counts, and the admin API's providers, mappings and keys.
 */
import { z } from 'zod';
import { FieldIssueSchema } from '@mosy/http';
import {
  MAX_RECORD_ID_LENGTH,
  PROVIDER_TYPES,
  RECORD_KINDS,
  ROLES,
  type ProviderType,
  type Role,
} from '@mosy/core';

const count = z.number().int().min(0);
const PROVIDER_TYPE_CODES = Object.keys(PROVIDER_TYPES) as [ProviderType, ...ProviderType[]];
const ROLE_CODES = [...ROLES] as [Role, ...Role[]];

/** A provider id: 2–63 lower-case letters, digits or dashes, starting with a letter or digit. */
export const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

const QUALITY_KINDS = ['rejected', 'deadletter', 'unmapped', 'defaulted'] as const;

/**
 * One record as submitted. Deliberately not checked at the request level: each record is validated on its own by
 * the domain (`validateSubmittedRecord`, then the provider's mapping), so a bad record is rejected on its receipt
 * without refusing the others. The document still tells clients what a record is.
 */
export const SubmittedRecordSchema = z.unknown().meta({
  id: 'SubmittedRecord',
  type: 'object',
  required: ['recordId', 'version'],
  // What `validateSubmittedRecord` accepts, spelled out so that clients and generators (schemathesis) know the shape;
  // a record that breaks it is still rejected on its receipt, not refused with the request.
  properties: {
    recordId: { type: 'string', minLength: 1, maxLength: MAX_RECORD_ID_LENGTH },
    version: { type: 'integer', minimum: 1 },
    action: { type: 'string', enum: ['upsert', 'withdraw'] },
    kind: { type: 'string', enum: Object.keys(RECORD_KINDS) },
    referenceDate: { type: 'string', pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$' },
    providerId: { type: 'string', description: 'Optional; must be the key’s own provider.' },
    fields: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          { type: 'string' },
          { type: 'number' },
          { type: 'boolean' },
          { type: 'null' },
          { type: 'array', items: { type: 'string' } },
        ],
      },
    },
    identity: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
  description:
    'One record in the provider’s own vocabulary (contract §2): `recordId`, `version`, `action`, `referenceDate`, identity and case fields as the provider’s mapping names them.',
} as Record<string, unknown>);

export const SubmissionRequestSchema = z
  .strictObject({
    records: z
      .array(SubmittedRecordSchema, { error: '"records" must be an array of records.' })
      .min(1, { error: '"records" is empty.' }),
  })
  .meta({ id: 'SubmissionRequest' });

export const RecordReceiptSchema = z
  .strictObject({
    index: count.optional(),
    recordId: z.string(),
    version: count,
    status: z.enum(['accepted', 'duplicate', 'rejected']),
    issues: z.array(FieldIssueSchema).optional(),
  })
  .meta({ id: 'RecordReceipt' });

export const SubmissionReceiptSchema = z
  .strictObject({
    submissionId: z.string(),
    providerId: z.string(),
    receivedAt: count,
    accepted: count,
    duplicates: count,
    rejected: count,
    records: z.array(RecordReceiptSchema),
    csv: z
      .strictObject({ separator: z.enum([',', ';', '\t']), encoding: z.enum(['utf-8', 'windows-1252']) })
      .optional()
      .meta({ description: 'For a CSV submission, how it was read.' }),
    dryRun: z.literal(true).optional().meta({
      description:
        'A preview (`dryRun=true`): nothing was accepted or kept; the receipt cannot be read back.',
    }),
  })
  .meta({ id: 'SubmissionReceipt' });

export const QualityCountsSchema = z
  .strictObject({
    providerId: z.string(),
    counts: z.array(
      z.strictObject({
        providerId: z.string(),
        kind: z.enum(QUALITY_KINDS),
        field: z.string(),
        value: z.string(),
        count,
        lastSeen: count,
      }),
    ),
  })
  .meta({ id: 'QualityCounts' });

export const ProviderSchema = z
  .strictObject({
    id: z.string().regex(PROVIDER_ID),
    type: z.enum(PROVIDER_TYPE_CODES),
    name: z.string(),
    mappingVersion: z.number().int().min(1),
    createdAt: count,
  })
  .meta({ id: 'Provider' });

/**
 * A mapping document; its content is the domain's to check (`parseMapping`, answering `invalid-mapping`), so the
 * schema says only "an object", typed as such for the domain's `MappingDocument` to fit.
 */
export const MappingSchema: z.ZodType<object> = z.looseObject({}).meta({
  id: 'Mapping',
  description: 'A provider mapping document (format `mosy-mapping/1`, see docs/mappings.md).',
});

const ID_MESSAGE = 'id must be 2–63 lower-case letters, digits or dashes, starting with a letter or digit.';
const TYPE_MESSAGE = `type must be one of ${PROVIDER_TYPE_CODES.join(', ')}.`;
const NAME_MESSAGE = 'name must be a non-empty string of at most 200 characters.';

export const ProviderRequestSchema = z
  .strictObject({
    id: z.string({ error: ID_MESSAGE }).regex(PROVIDER_ID, { error: ID_MESSAGE }),
    type: z.enum(PROVIDER_TYPE_CODES, { error: TYPE_MESSAGE }),
    name: z
      .string({ error: NAME_MESSAGE })
      .min(1, { error: NAME_MESSAGE })
      .max(200, { error: NAME_MESSAGE })
      .refine((name) => name.trim() !== '', { error: NAME_MESSAGE }),
    mapping: z.union([
      z.string().meta({
        description:
          'The name of a built-in mapping: `htcds-2.0` (IOM’s Human Trafficking Case Data Standard 2.0, see the README).',
      }),
      MappingSchema,
    ]),
  })
  .meta({ id: 'ProviderRequest' });

const LABEL_MESSAGE = 'label must be a string of at most 200 characters.';

export const KeyRequestSchema = z
  .strictObject({
    role: z.enum(ROLE_CODES, { error: `role must be one of ${ROLES.join(', ')}.` }),
    providerId: z.string({ error: 'providerId must be the id of a registered provider.' }).optional(),
    label: z.string({ error: LABEL_MESSAGE }).max(200, { error: LABEL_MESSAGE }).optional(),
  })
  .meta({ id: 'KeyRequest' });

export const NewKeySchema = z
  .strictObject({
    id: z.string(),
    key: z.string().meta({ description: 'Shown once; store it.' }),
    role: z.enum(ROLE_CODES),
    providerId: z.string().optional(),
  })
  .meta({ id: 'NewKey' });

export const ApiKeySchema = z
  .strictObject({
    id: z.string(),
    role: z.enum([...ROLE_CODES, 'node']),
    providerId: z.string().optional(),
    country: z.string().optional().meta({ description: 'A node key’s country (hub).' }),
    label: z.string().optional(),
    createdAt: count,
    revokedAt: count.optional(),
  })
  .meta({ id: 'ApiKey' });
