/**
 * Certification on the apply path: a small apply certifies the person counters of the periods it wrote itself, so
 * that a read right after it looks them up instead of grouping the references until the refresher runs
 * (`person-counters.ts` holds the protocol this extends). It does not recount a period: it adds the change its own
 * rows made to the counters of the version certified before it began, which is exact only when no other writer
 * changed the period meanwhile. That is what it proves, with the marks count (migration 011: every begin, end and
 * build mark adds 1 to its period's `marks`, in the same row as the mark itself):
 *
 * 1. before its begin mark, the apply reads each period's state: the periods whose counters are valid now (`VALID`)
 *    and that no apply holds open (see below), with their certified version c and marks count m, and the build b
 *    of the rolling tables in use (none while they are not usable: then it certifies nothing); then, still before
 *    its begin mark, the counters rows of c, which it keeps. Valid means the counters of c equal the references
 *    now. Nothing more is read or sent for the other periods;
 * 2. its begin mark, inserts and end mark, as every apply (each adds 1 to `marks`);
 * 3. it reads the change of its rows: for each cell and person its rows reference, the references now and now less
 *    its own, so the persons its rows took from 0 to more or back, and the sums its rows added to the cells of
 *    persons keyed by their record (its rows expanded into cells by core, `appliedChange`);
 * 4. in one statement, a new stamp r, the build in use and each period's state again: when the build is still b, a
 *    period whose certified version is still c and whose marks count is m + 2 (its own two marks) had no other
 *    writer between steps 1 and 3;
 * 5. the counters of version c that step 1 read plus that change are written as version r for those periods (both
 *    sent with the statement: the table is not read again), then certified at r.
 *
 * Why 4 proves it: another writer W that changed a period's references after step 1 read its state, and before
 * step 3 read them, is an apply (a build is ruled out by the builds step 4 compares, see below), and wrote its
 * begin mark first: an apply writes nothing before its begin mark returned. If that mark was in the state of step 1,
 * W had begun and not ended (its end comes after its rows), so the period was open under a live lease and not
 * valid, and was left out (a killed W whose lease ran out writes nothing more, as the refresh also assumes);
 * otherwise the mark landed between steps 1 and 4, and the count is at least m + 3. So at step 3 the references
 * were those of step 1 plus the apply's own rows, exactly what step 5 writes. A reader then uses version r as it
 * uses a refresh's (`VALID`: r past every mark, no live open apply): r was taken after the apply's end returned, so
 * it is past its marks, and a writer whose begin the state of step 4 did not hold ends with a stamp not below r
 * (stamps grow with what is visible), which makes r invalid from then on, as it does for a refresh. Two certifications that took the same stamp write equal rows, as two refreshes do: each
 * is the references at its read, and between the two reads nothing that leaves r valid could change them.
 *
 * Why the rows of c are those step 1 read, not the table's at step 5: several writers may take the same stamp c (two
 * stamps taken within one second, with no mark between, tie), and one of them may write its rows of c late, from
 * references it read after this apply's begin mark, this apply's own rows among them; read at step 5, they would
 * count its change twice. The rows of c that step 1 reads were written by writers that read the references before
 * it, so before the apply's begin mark; each such writer saw the references of step 1's state unless another writer
 * W changed them in between, whose begin mark came before those rows were read: either the state of step 1 holds it
 * (then W had ended before the stamp c was taken, or c was not valid) or it landed after that state, and step 4
 * counts it. The state is read before the rows, so they hold every row of the writer that certified c; a cell is
 * taken once (`any`), the rows of writers with the same stamp being equal.
 *
 * A build (rebuild after a failed insert) truncates and refills the references and marks every period after; reads
 * use nothing until its completion, which comes after those marks. Its marks alone would not protect step 3: one
 * may take its stamp before r and land after step 4 read the state, uncounted and below r, while step 3 read the
 * references half refilled. The builds step 4 compares do: a build empties the tables only once they are not usable
 * (an invalidation returned before it began), and they are usable again only by its completion, a build later
 * than b. Step 1 saw them usable at b, so that invalidation landed after step 1; if the build emptied them before
 * step 3 read, it landed before step 4 too, which finds the tables unusable, or usable at a later build, and the
 * apply certifies nothing.
 *
 * A period with opens > 0 at step 1 is valid only if a killed apply's +1 is left there, its lease run out and the
 * period certified since. Its opens stay above 0 after this apply, whose own begin gives it a lease past r: a
 * certification at r would be valid only once that lease ran out (`VALID`), long after the refresher certified it
 * again (it runs once the lease ran out, `counters-refresher.ts`). So step 1 leaves it out, and neither its rows of
 * c, nor its change, nor counters of r travel for it.
 *
 * The change of step 3 is what the views wrote only if core expands rows into cells as the views' SQL does: a
 * property test checks it for random records of every kind (`apply-certification.int.test.ts`), as the marks already
 * count on core's period labels (`touchedPeriods`).
 */
import {
  CANONICAL_FIELDS,
  isRecordPerson,
  personKeyNumber,
  rollingCellsOf,
  type CellSource,
  type DatePrecision,
  type ProviderType,
  type RecordKind,
} from '@mosy/core';
import { FIELD_COLUMNS, clickHouseDialect, integer, sqlLiteral, text } from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';
import { usableBuildSql } from './rolling.js';
import {
  COMPLETE_GROUPING,
  MAX_REFRESH_MS,
  VALID,
  certifyPeriods,
  grainPeriodsOf,
  keyOf,
  nextStampSql,
  periodState,
  type CountersTables,
  type GrainPeriod,
} from './person-counters.js';

/** A period's state before the apply began (step 1): its certified version and marks count. */
export interface CertifiedBefore {
  readonly period: GrainPeriod;
  readonly certified: number;
  readonly marks: number;
}

/**
 * What step 1 read: the build of the rolling tables in use (`usableBuildSql`), the periods valid then, and the
 * counters rows of their versions, once per cell.
 */
export interface StateBefore {
  readonly build: number;
  readonly periods: readonly CertifiedBefore[];
  readonly counters: readonly Row[];
}

/** What step 1 reads when no period can be certified. */
export const NOTHING_CERTIFIED: StateBefore = { build: 0, periods: [], counters: [] };

const keyOfRow = (row: Row): string => keyOf([integer(row.grain), text(row.period)]);

const pairsCondition = (periods: readonly GrainPeriod[]): string =>
  `(grain, period) IN (${periods.map(([grain, period]) => `(${grain}, ${sqlLiteral(period)})`).join(', ')})`;

/**
 * Step 1: the build of the rolling tables in use and the periods among `periods` whose counters are valid now and
 * that no apply holds open (a killed one's +1 left), with their version and marks count, then the counters rows of
 * those versions (each cell once: writers that took the same stamp wrote equal rows while it is valid). Both are
 * read before the apply's begin mark; the rows after the state, so that they hold every row of the version the
 * state certified. Nothing while the tables are not usable.
 */
export async function certifiedBefore(
  connection: ClickHouseConnection,
  tables: CountersTables,
  periods: readonly GrainPeriod[],
): Promise<StateBefore> {
  if (periods.length === 0) return NOTHING_CERTIFIED;
  const rows = await connection.select(
    `SELECT (${usableBuildSql(tables.fingerprint)}) AS build, grain, period, certified, marks
     FROM (${periodState(tables.fingerprint, pairsCondition(periods))}) WHERE ${VALID} AND opens = 0`,
  );
  // No period valid, or the tables not usable (then reads use no counters).
  const build = integer(rows[0]?.build ?? 0);
  if (build === 0) return NOTHING_CERTIFIED;
  const valid = rows.map((row): CertifiedBefore => ({
    period: [integer(row.grain), text(row.period)],
    certified: integer(row.certified),
    marks: integer(row.marks),
  }));
  const versions = valid
    .map(({ period: [grain, period], certified }) => `(${grain}, ${sqlLiteral(period)}, ${certified})`)
    .join(', ');
  const counters = await connection.select(
    `SELECT grouping_index, grain, period, k0, k1, any(persons) AS p, any(key_sum) AS k,
       any(own_persons) AS op, any(own_key_sum) AS ok
     FROM ${tables.counters}
     WHERE (grain, period, version) IN (${versions}) AND grouping_index != ${COMPLETE_GROUPING}
     GROUP BY grouping_index, grain, period, k0, k1`,
  );
  return { build, periods: valid, counters };
}

/** A signed row as `record_changes` takes it, as the source of its rolling cells; undefined for a withdrawal. */
function sourceOfRow(row: Row): CellSource | undefined {
  if (integer(row.withdrawn) === 1) return undefined;
  const fields: Record<string, string | readonly string[]> = {};
  for (const field of CANONICAL_FIELDS)
    fields[field] = row[FIELD_COLUMNS[field]] as string | readonly string[];
  return {
    providerId: text(row.provider_id),
    providerType: text(row.provider_type) as ProviderType,
    kind: text(row.kind) as RecordKind,
    precision: text(row.date_precision) as DatePrecision,
    periodStart: text(row.period_start),
    personKey: text(row.person_key),
    recordKey: integer(row.record_key),
    fields,
  };
}

/**
 * What the rows wrote to the grain references and, summed over providers and months, to the cells of persons keyed
 * by their record, per (grain, period) cell: the expansion of `rolling-sql.ts` and `rolling-grain-sql.ts` done here
 * by core (`rollingCellsOf`, from the same groupings), since 18.16 takes a few hundred milliseconds to analyse that
 * SQL. Rows with a `person_key` are references (`refs`), rows without are sums (`persons`, `person_key_sum`).
 */
export function appliedChange(rows: readonly Row[]): Row[] {
  const change = new Map<string, Row & { refs: number; persons: number; person_key_sum: number }>();
  for (const row of rows) {
    const source = sourceOfRow(row);
    if (source === undefined) continue;
    const sign = Number(row.sign);
    const own = isRecordPerson(source.personKey);
    const personKey = own ? '' : source.personKey;
    const periods = grainPeriodsOf(source.periodStart, source.precision);
    for (const cell of rollingCellsOf(source)) {
      for (const [grain, period] of periods) {
        const key = JSON.stringify([cell.grouping, grain, period, cell.k0, cell.k1, personKey]);
        let entry = change.get(key);
        if (entry === undefined) {
          entry = {
            grouping_index: cell.grouping,
            grain,
            period,
            k0: cell.k0,
            k1: cell.k1,
            person_key: personKey,
            refs: 0,
            persons: 0,
            person_key_sum: 0,
          };
          change.set(key, entry);
        }
        if (own) {
          entry.persons += sign;
          entry.person_key_sum += sign * personKeyNumber(source.personKey);
        } else entry.refs += sign;
      }
    }
  }
  return [...change.values()].filter((e) => e.refs !== 0 || e.persons !== 0 || e.person_key_sum !== 0);
}

const APPLIED_COLUMNS =
  'grouping_index UInt16, grain UInt8, period String, k0 String, k1 String, person_key String, refs Int64, ' +
  'persons Int64, person_key_sum Int64';

/**
 * Step 3: per cell of a (grain, period), the change `appliedChange` (the external table `applied`) made to its
 * counters: persons with an identity whose references in the cell went from 0 to more (+1) or back (−1), with their
 * key numbers, and the sums of persons keyed by their record. The references are read now, the apply's own included.
 */
function changeSql(tables: CountersTables): string {
  const keys = 'grouping_index, grain, period, k0, k1, person, person_key_number';
  // The person as the grain references keep it (`rolling-grain-sql.ts`).
  const mine = `SELECT grouping_index, grain, period, k0, k1, sipHash64(person_key) AS person,
      ${clickHouseDialect.personKeyNumber('person_key')} AS person_key_number, refs
    FROM applied WHERE person_key != ''`;
  // The apply's references and the table's for the same keys, summed per key. The key's index narrows the read to
  // the granules of the apply's cells, whose persons are many: the PREWHERE on the person column alone (a tenth of
  // the row) drops the others first, five times faster on 18.16 than the whole key tested on every row.
  const references = `SELECT ${keys}, sum(d) AS own, sum(c) AS current FROM (
      SELECT ${keys}, refs AS d, toInt64(0) AS c FROM (${mine})
      UNION ALL
      SELECT ${keys}, toInt64(0) AS d, refs AS c FROM ${tables.grainRefs}
      PREWHERE person IN (SELECT person FROM (${mine})) WHERE (${keys}) IN (SELECT ${keys} FROM (${mine}))
    ) GROUP BY ${keys} HAVING own != 0`;
  const identified = `SELECT grouping_index, grain, period, k0, k1,
      toInt64(current > 0) - toInt64(current - own > 0) AS dp, dp * toInt64(person_key_number) AS dk,
      toInt64(0) AS dop, toInt64(0) AS dok
    FROM (${references})`;
  const byRecord = `SELECT grouping_index, grain, period, k0, k1, toInt64(0) AS dp, toInt64(0) AS dk,
      persons AS dop, person_key_sum AS dok
    FROM applied WHERE person_key = ''`;
  return `SELECT grouping_index, grain, period, k0, k1, toInt64(sum(dp)) AS p, toInt64(sum(dk)) AS k,
      toInt64(sum(dop)) AS op, toInt64(sum(dok)) AS ok
    FROM (${identified} UNION ALL ${byRecord})
    GROUP BY grouping_index, grain, period, k0, k1
    HAVING p != 0 OR k != 0 OR op != 0 OR ok != 0`;
}

const CHANGE_COLUMNS =
  'grouping_index UInt16, grain UInt8, period String, k0 String, k1 String, p Int64, k Int64, op Int64, ok Int64';

/**
 * Steps 3 to 5 after an apply whose begin and end marks of `before`'s periods (read by `certifiedBefore` ahead of
 * its begin) both returned, with `rows` the signed rows it inserted (every insert returned). Returns the periods it
 * certified; the others are left to the refresher. Nothing is written once the server's clock is more than
 * `maxDelayMs` past the new version (pruning counts on it, as for a refresh).
 */
export async function certifyApplied(
  connection: ClickHouseConnection,
  tables: CountersTables,
  rows: readonly Row[],
  before: StateBefore,
  maxDelayMs: number = MAX_REFRESH_MS,
): Promise<GrainPeriod[]> {
  if (before.periods.length === 0) return [];
  // The change of the periods step 1 found certifiable alone.
  const certifiable = new Set(before.periods.map((b) => keyOf(b.period)));
  const applied = appliedChange(rows).filter((row) => certifiable.has(keyOfRow(row)));
  const change =
    applied.length === 0
      ? []
      : await connection.selectWith(
          { name: 'applied', columns: APPLIED_COLUMNS, rows: applied },
          changeSql(tables),
        );
  const now = await connection.select(
    `SELECT (${nextStampSql(tables.fingerprint)}) AS r, (${usableBuildSql(tables.fingerprint)}) AS build, grain,
       period, certified, marks
     FROM (${periodState(tables.fingerprint, pairsCondition(before.periods.map((b) => b.period)))})`,
  );
  // A rebuild since step 1 may have emptied the references step 3 read, its marks landing after this statement.
  if (now.length === 0 || integer(now[0]!.build) !== before.build) return [];
  const r = integer(now[0]!.r);
  const state = new Map(now.map((row) => [keyOfRow(row), row]));
  const unchanged = before.periods.filter((b) => {
    const row = state.get(keyOf(b.period));
    return row !== undefined && integer(row.certified) === b.certified && integer(row.marks) === b.marks + 2;
  });
  if (unchanged.length === 0) return [];
  const kept = new Set(unchanged.map((b) => keyOf(b.period)));
  // The counters of version c as step 1 read them (not read again here: c is no longer valid since the begin mark,
  // and another writer that took the stamp c may have written rows of c since, its own rows among them) plus the
  // change, one external table.
  await connection.commandWith(
    {
      name: 'counted',
      columns: CHANGE_COLUMNS,
      rows: [...before.counters, ...change].filter((row) => kept.has(keyOfRow(row))),
    },
    `INSERT INTO ${tables.counters}
       (grouping_index, grain, period, version, k0, k1, persons, key_sum, own_persons, own_key_sum)
     SELECT grouping_index, grain, period, toInt64(${r}), k0, k1, sum(p), sum(k), sum(op), sum(ok)
     FROM counted WHERE toInt64(now()) * 1000 - ${r} <= ${maxDelayMs}
     GROUP BY grouping_index, grain, period, k0, k1
     HAVING sum(p) != 0 OR sum(k) != 0 OR sum(op) != 0 OR sum(ok) != 0`,
  );
  const certified = unchanged.map((b) => b.period);
  await certifyPeriods(connection, tables, certified, r, maxDelayMs);
  return certified;
}
