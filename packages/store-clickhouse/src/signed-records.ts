/**
 * The signed records of a groupings fingerprint (`rolling_records_<fp>`), which ad-hoc queries read instead of
 * `records_current FINAL`: every row apply sends to `record_changes` that is not a withdrawal, +1 for a version
 * written and -1 for the version it replaced, kept by one materialized view, so that each insert's +1 and -1 rows
 * land in one part and become visible together. Reads net the signs per record version and count a version once
 * where they sum above 0 (`@mosy/sql` `clickHouseDialect.table` with `signed`), so no read merges on the fly.
 * SummingMergeTree keyed by the version: a merge replaces a version's rows by their sum and drops a sum of 0, so the
 * table shrinks back to the current records and no merge changes what a read counts. A version written twice (a
 * zombie aggregator's replay) sums to 2 and its replaced version to -1, which reads clamp, and which
 * `checkRollingConsistency` (`rolling.ts`) finds and invalidates. It is one of the rolling tables: built,
 * invalidated and rebuilt with them, read only while a build of them is usable from before the read to after it. */
import { RECORD_COLUMNS, clickHouseDialect } from '@mosy/sql';

/** The stored person key number, as migration 009 computes it for `records_current`. */
const PERSON_KEY_NUMBER = `${clickHouseDialect.personKeyNumber('person_key')} AS person_key_number`;

const COLUMNS = RECORD_COLUMNS.map((column) => column.name).join(', ');

/** The table: the columns of `records_current` (its key number too), and `sign`. */
export const signedRecordsDdl = (table: string): string =>
  `CREATE TABLE IF NOT EXISTS ${table} (sign Int8, ` +
  `${RECORD_COLUMNS.map((column) => `${column.name} ${clickHouseDialect.columnType(column.type)}`).join(', ')}, ` +
  `person_key_number UInt32) ENGINE = SummingMergeTree((sign)) ORDER BY (kind, provider_id, record_id, version)`;

/**
 * The rows of `source` as the table holds them: `sign` from the source's column (`record_changes`), or the
 * constant `sign` for a source of current records (the rebuild from `records_current FINAL`). Withdrawn versions
 * count nowhere and are left out: apply writes no -1 row for them.
 */
export const signedRecordRowsSql = (source: string, sign = 'sign'): string =>
  `SELECT ${sign} AS sign, ${COLUMNS}, ${PERSON_KEY_NUMBER} FROM ${source} WHERE withdrawn = 0`;
