/**
 * The shapes the report API answers, as zod schemas named for the OpenAPI document's components: indicator
 * values, table and total reports, the quality report, projections, status, code lists, regions and the audit log.
 * Published counts are `null` when withheld, with flag `c`.
 */
import { z } from 'zod';
import { INTERVAL_CODES } from './query.js';

const count = z.number().int().min(0);
const nullableCount = count.nullable();
const flag = z.literal('c');
const codes = z.record(z.string(), z.array(z.string()));
const reportUnit = z.enum(['persons', 'records', 'cases']);

export const ProtectedValueSchema = z
  .strictObject({ value: nullableCount, flag: flag.optional() })
  .meta({ id: 'ProtectedValue' });

export const DisclosureSchema = z
  .discriminatedUnion('method', [
    z.strictObject({ method: z.literal('none') }),
    z.strictObject({ method: z.literal('suppression'), threshold: count, withheld: count }),
    z.strictObject({
      method: z.literal('cell-key'),
      threshold: count,
      maxPerturbation: count,
      variance: z.number(),
      withheld: count,
    }),
  ])
  .meta({ id: 'Disclosure' });

export const IndicatorSchema = z
  .strictObject({
    id: z.string(),
    label: z.string(),
    description: z.string(),
    kind: z.string(),
    unit: z.enum(['persons', 'cases']),
    defaultFilters: codes,
    breakdowns: z.array(z.string()),
    cki: z.array(z.strictObject({ ref: z.string(), label: z.string(), by: z.array(z.string()) })),
  })
  .meta({ id: 'Indicator' });

export const ValuesSchema = z
  .strictObject({
    indicator: z.string(),
    unit: reportUnit,
    cells: z.array(
      z
        .object({ value: nullableCount, flag: flag.optional(), period: z.string().optional() })
        .catchall(z.string())
        .meta({
          description:
            'The cell’s code per breakdown dimension, `period`, `value` (null when withheld), `flag`.',
        }),
    ),
    total: nullableCount,
    totalFlag: flag.optional(),
    disclosure: DisclosureSchema,
  })
  .meta({
    id: 'Values',
    description: 'Indicator values: one cell per combination of the breakdowns (and period), and the total.',
  });

export const PublishedEntrySchema = z
  .strictObject({ key: z.record(z.string(), z.string()), value: nullableCount, flag: flag.optional() })
  .meta({ id: 'PublishedEntry' });

const publishedTable = {
  dims: z.array(z.string()),
  cells: z.array(PublishedEntrySchema),
  margins: z.array(PublishedEntrySchema),
  total: ProtectedValueSchema,
  disclosure: DisclosureSchema,
};

export const PublishedTableSchema = z.strictObject(publishedTable).meta({ id: 'PublishedTable' });

export const TableReportSchema = z
  .strictObject({
    report: z.string(),
    indicator: z.string(),
    unit: reportUnit,
    filters: codes,
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    interval: z.enum(INTERVAL_CODES).optional(),
    geoLevel: z.number().int().min(0).max(3).optional(),
    ...publishedTable,
    previous: z
      .strictObject({ from: z.iso.date(), to: z.iso.date(), ...publishedTable })
      .optional()
      .meta({ description: 'With `compare=previous` (time-frame): the same table for the period before.' }),
  })
  .meta({ id: 'TableReport' });

export const TotalReportSchema = z
  .strictObject({
    report: z.literal('total'),
    indicator: z.string(),
    unit: z.enum(['persons', 'cases']),
    filters: codes,
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    providers: z.array(z.string()),
    persons: PublishedTableSchema.optional(),
    records: PublishedTableSchema,
  })
  .meta({ id: 'TotalReport' });

const qualityKind = z.enum(['rejected', 'deadletter', 'unmapped', 'defaulted']);

export const QualityReportSchema = z
  .strictObject({
    report: z.literal('quality'),
    protection: z.enum(['protected', 'none']),
    threshold: count.optional(),
    providers: z.array(
      z.strictObject({
        providerId: z.string(),
        completeness: z.array(
          z.strictObject({
            kind: z.string(),
            field: z.string(),
            records: ProtectedValueSchema,
            unknown: ProtectedValueSchema,
            unknownShare: z.number().nullable(),
          }),
        ),
        volume: z
          .array(z.strictObject({ kind: z.string(), period: z.string(), records: ProtectedValueSchema }))
          .meta({
            description:
              'Current records per kind and quarter of their reference date (`YYYY-unspecified` when dated only to the year).',
          }),
        timeliness: z
          .array(
            z.strictObject({
              kind: z.string(),
              records: ProtectedValueSchema,
              meanLagDays: z.number().nullable(),
              within30: ProtectedValueSchema,
              within90: ProtectedValueSchema,
              within365: ProtectedValueSchema,
            }),
          )
          .optional()
          .meta({
            description:
              'Days from the end of each record’s reference period to its arrival, per record kind (when the store computes it).',
          }),
        events: z.array(
          z.strictObject({
            providerId: z.string(),
            kind: qualityKind,
            field: z.string(),
            value: z.string().optional().meta({
              description:
                'The provider’s value (reason, or unmapped value); unmapped values are not shown to analysts.',
            }),
            count: nullableCount,
            flag: flag.optional(),
            lastSeen: count,
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'QualityReport' });

const quarter = z.string().regex(/^\d{4}-Q[1-4]$/);
const share = z.number().gt(0).lt(1);

export const ProjectionSchema = z
  .strictObject({
    indicator: z.string(),
    unit: reportUnit,
    series: z
      .array(z.strictObject({ period: quarter, value: nullableCount, flag: flag.optional() }))
      .meta({ description: 'Historical quarters, disclosure-controlled like the values endpoint.' }),
    forecast: z.array(z.strictObject({ period: quarter, value: count, lower: count, upper: count })),
    method: z.strictObject({
      name: z.literal('holt-winters-additive'),
      alpha: share,
      beta: share,
      gamma: share,
      seasonalPeriod: z.literal(4),
      level: z.union([z.literal(0.8), z.literal(0.95)]),
    }),
    disclosure: DisclosureSchema,
    notes: z.array(z.string()),
  })
  .meta({ id: 'Projection' });

export const LinkageStatusSchema = z
  .strictObject({
    mode: z.enum(['exact', 'fuzzy']).meta({
      description: 'How persons are told apart: the exact pseudonym, or fuzzy linkage of keyed encodings.',
    }),
    merges: count.meta({ description: 'Re-groupings so far: each joined persons counted apart before.' }),
    revisedRecords: count.meta({
      description: 'Earlier records whose person changed in those re-groupings.',
    }),
    backlog: count.meta({ description: 'Linkage messages waiting for the linker.' }),
  })
  .meta({ id: 'LinkageStatus' });

export const StatusSchema = z
  .strictObject({
    idle: z.boolean(),
    stages: z.record(z.string(), z.strictObject({ backlog: count })),
    records: count,
    linkage: LinkageStatusSchema,
  })
  .meta({ id: 'Status' });

export const ProviderActivitySchema = z
  .strictObject({
    idle: z.boolean(),
    stages: z.record(z.string(), z.strictObject({ backlog: count })),
    providers: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        type: z.string(),
        submissions: count,
        lastSubmittedAt: count
          .optional()
          .meta({ description: 'Epoch milliseconds; absent before the first.' }),
        pending: count.optional().meta({
          description:
            'Records accepted but not yet counted (their accepted version is above the counted one), leaving out ' +
            'those dead-lettered; for coordinators and admins only, absent for analysts and where the ledger ' +
            'cannot tell.',
        }),
      }),
    ),
  })
  .meta({ id: 'ProviderActivity' });

export const TaxonomySchema = z
  .strictObject({
    version: z.string(),
    codeLists: z.record(z.string(), z.record(z.string(), z.string())),
  })
  .meta({ id: 'Taxonomy' });

export const RegionsSchema = z
  .strictObject({
    nutsVersion: z.string(),
    regions: z.array(
      z.strictObject({
        id: z.string(),
        level: z.number().int(),
        name: z.string(),
        parent: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'Regions' });

export const AuditEntriesSchema = z
  .strictObject({
    entries: z.array(
      z.strictObject({
        at: count,
        keyId: z.string(),
        role: z.string(),
        action: z.string(),
        resource: z.string(),
        query: z.string(),
      }),
    ),
  })
  .meta({ id: 'AuditEntries' });
