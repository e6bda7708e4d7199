/**
 * The DuckDB `ReportArchive`: versions, artefacts and publications in three tables keyed by (period, revision).
 * Writes go through the single writer, so checking that a version is absent and inserting it, in one transaction,
 * cannot interleave with another put: one version per key, and the primary keys say so again.
 */
import type { ReportArchive, ReportVersion } from '@mosy/core';
import { integer, optionalText, text } from '@mosy/sql';
import { inTransaction, type DuckDbDatabase } from './database.js';

/** A report archive over an open database (the caller runs the migrations). */
export function createReportArchiveOn(database: DuckDbDatabase): ReportArchive {
  return {
    put(version) {
      return database.write(async (connection) => {
        const existing = await connection.runAndReadAll(
          'SELECT 1 FROM report_versions WHERE period = $1 AND revision = $2',
          [version.period, version.revision],
        );
        if (existing.getRows().length > 0) return 'exists';
        await inTransaction(connection, async () => {
          await connection.run('INSERT INTO report_versions VALUES ($1, $2, $3, $4)', [
            version.period,
            version.revision,
            version.builtAt,
            version.builtBy,
          ]);
          for (const a of version.artefacts)
            await connection.run('INSERT INTO report_artefacts VALUES ($1, $2, $3, $4, $5, $6)', [
              version.period,
              version.revision,
              a.format,
              a.mediaType,
              a.sha256,
              a.content,
            ]);
        });
        return 'created';
      });
    },

    list(period) {
      return database.read(async (connection) => {
        const where = period === undefined ? '' : 'WHERE v.period = $1';
        const rows = (
          await connection.runAndReadAll(
            `SELECT v.period, v.revision, v.built_at, v.built_by, p.published_at, p.published_by,
                    (SELECT string_agg(a.format || '=' || a.sha256, ',' ORDER BY a.format) FROM report_artefacts a
                     WHERE a.period = v.period AND a.revision = v.revision) AS checksums
             FROM report_versions v LEFT JOIN report_publications p
               ON p.period = v.period AND p.revision = v.revision
             ${where} ORDER BY v.period DESC, v.revision DESC`,
            period === undefined ? [] : [period],
          )
        ).getRowObjectsJS();
        return rows.map((row): ReportVersion => ({
          period: text(row.period),
          revision: integer(row.revision),
          builtAt: integer(row.built_at),
          builtBy: text(row.built_by),
          checksums: Object.fromEntries(
            (optionalText(row.checksums) ?? '')
              .split(',')
              .filter((pair) => pair !== '')
              .map((pair) => pair.split('=') as [string, string]),
          ),
          ...(row.published_at === null
            ? {}
            : { published: { at: integer(row.published_at), by: text(row.published_by) } }),
        }));
      });
    },

    artefact(period, revision, format) {
      return database.read(async (connection) => {
        const [row] = (
          await connection.runAndReadAll(
            `SELECT format, media_type, content, sha256 FROM report_artefacts
             WHERE period = $1 AND revision = $2 AND format = $3`,
            [period, revision, format],
          )
        ).getRowObjectsJS();
        return row === undefined
          ? undefined
          : {
              format: text(row.format),
              mediaType: text(row.media_type),
              content: text(row.content),
              sha256: text(row.sha256),
            };
      });
    },

    publish(period, revision, at, by) {
      return database.write(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT (SELECT count(*) FROM report_versions WHERE period = $1 AND revision = $2) AS stored,
                    (SELECT count(*) FROM report_publications WHERE period = $1 AND revision = $2) AS published`,
            [period, revision],
          )
        ).getRowObjectsJS();
        if (Number(rows[0]!.stored) === 0 || Number(rows[0]!.published) > 0) return false;
        await connection.run('INSERT INTO report_publications VALUES ($1, $2, $3, $4)', [
          period,
          revision,
          at,
          by,
        ]);
        return true;
      });
    },
  };
}
