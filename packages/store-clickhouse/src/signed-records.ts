/**
 * The signed records of a groupings fingerprint (`rolling_records_<fp>`), which ad-hoc queries read instead of
 * `records_current FINAL`: every row apply sends to `record_changes` that is not a withdrawal, +1 for a version
 * written and -1 for the version it replaced, kept by one materialized view, so that each insert's +1 and -1 rows
 * land in one part and become visible together. A record counts where its signs sum above 0 (`@mosy/sql`
 * `buildIndicatorSql` with `signed`), so no read merges on the fly. SummingMergeTree keyed by the version: a merge
 * replaces a version's rows by their sum and drops a sum of 0, so the table shrinks back to the current records and
 * no merge changes what a read counts, even of a version written twice (a zombie aggregator's replay), which
 * `FINAL` absorbs and sums do not: reads use the table only at the blocks a consistency check found it exact
 * (`checkRollingConsistency` in `rolling.ts`, README "Ad-hoc reads of the signed records"). It is one of the
 * rolling tables: built, invalidated and rebuilt with them. */
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
