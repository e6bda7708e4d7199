/**
 * Reading the rows of the registry, intake ledger, audit log and migration tables back into domain values, the same
 * for both stores: their tables have the same columns, and the drivers differ only in how a 64-bit integer arrives
 * (DuckDB: bigint, ClickHouse JSONEachRow: a string), which `toCount` reads either way. A value of the wrong type
 * is a bug in a query or a migration, reported as `internal` instead of flowing on as `[object Object]` or NaN.
 */
import {
  MosyError,
  type ApiKey,
  type AuditEntry,
  type MappingDocument,
  type Provider,
  type QualityCount,
  type QualityEventKind,
  type Role,
  type SubmissionReceipt,
} from '@mosy/core';
import { toCount } from './indicator-sql.js';

/** A result row, by column name, as either driver returns it. */
export type Row = Readonly<Record<string, unknown>>;

/** A text column's value. */
export function text(value: unknown): string {
  if (typeof value !== 'string') {
    throw new MosyError('internal', `expected a string from the database, got ${typeof value}`);
  }
  return value;
}

/** A nullable text column's value, undefined for NULL. */
export const optionalText = (value: unknown): string | undefined =>
  value === null ? undefined : text(value);

/** An integer column's value (a number, a bigint, or a string for 64-bit integers) as a number. */
export const integer = (value: unknown): number => toCount(value);

/** A nullable integer column's value, undefined for NULL. */
export const optionalInteger = (value: unknown): number | undefined =>
  value === null ? undefined : integer(value);

/** A JSON text column's value; what it holds is the writer's type, not checked again here. */
const json = <T>(value: unknown): T => JSON.parse(text(value)) as T;

/** A `providers` row. */
export const toProvider = (row: Row): Provider => ({
  id: text(row.id),
  type: text(row.type) as Provider['type'],
  name: text(row.name),
  mappingVersion: integer(row.mapping_version),
  createdAt: integer(row.created_at),
});

/** The `document` of a `provider_mappings` row. */
export const toMappingDocument = (row: Row): MappingDocument => json<MappingDocument>(row.document);

/** The columns `toApiKey` reads, in the order the stores select and insert them. */
export const API_KEY_COLUMNS = 'id, hash, role, provider_id, label, created_at, revoked_at';

/** An `api_keys` row; optional members are left out, not undefined, so keys compare equal to what was stored. */
export function toApiKey(row: Row): ApiKey {
  // A node key's country is kept in `provider_id` (a key has one or the other), so the table needs no new column.
  const owner = optionalText(row.provider_id);
  const role = text(row.role) as Role;
  const providerId = role === 'node' ? undefined : owner;
  const country = role === 'node' ? owner : undefined;
  const label = optionalText(row.label);
  const revokedAt = optionalInteger(row.revoked_at);
  return {
    id: text(row.id),
    hash: text(row.hash),
    role,
    ...(providerId === undefined ? {} : { providerId }),
    ...(country === undefined ? {} : { country }),
    ...(label === undefined ? {} : { label }),
    createdAt: integer(row.created_at),
    ...(revokedAt === undefined ? {} : { revokedAt }),
  };
}

/** The `receipt` of a `submission_receipts` row. */
export const toReceipt = (row: Row): SubmissionReceipt => json<SubmissionReceipt>(row.receipt);

/** A quality row: `provider_id`, `kind`, `field`, `value`, the summed `total` and the latest `last_seen`. */
export const toQualityCount = (row: Row): QualityCount => ({
  providerId: text(row.provider_id),
  kind: text(row.kind) as QualityEventKind,
  field: text(row.field),
  value: text(row.value),
  count: integer(row.total),
  lastSeen: integer(row.last_seen),
});

/** The columns `toAuditEntry` reads. */
export const AUDIT_COLUMNS = 'recorded_at, key_id, role, action, resource, query';

/** An `audit_log` row. */
export const toAuditEntry = (row: Row): AuditEntry => ({
  at: integer(row.recorded_at),
  keyId: text(row.key_id),
  role: text(row.role),
  action: text(row.action),
  resource: text(row.resource),
  query: text(row.query),
});

/** `schema_migrations` rows (`version`, `checksum`) as the checksums by version that `pendingMigrations` takes. */
export const appliedMigrations = (rows: readonly Row[]): Map<number, string> =>
  new Map(rows.map((row) => [integer(row.version), text(row.checksum)]));
