/**
 * The ClickHouse `ReportArchive`. ClickHouse has no insert-if-absent, so a put inserts its version's artefacts in
 * one request (one block: all or none) under a fresh build id, then reads which build of the key is first by
 * (stored_at, build_id): that build is the version every reader sees, and the put answers `created` only if it is
 * its own. A put that finds the key already stored writes nothing. Publications work alike: the first row counts.
 * Within one process, puts and publications of a key run one after another: without that, two puts racing could
 * both answer `created` (one reads before the other, whose earlier `stored_at` then sorts first, inserts), which the
 * contract test caught on a loaded machine. Across processes the distributed runtime builds drafts through one
 * BullMQ queue with a global concurrency of 1, so two builds of one quarter do not overlap there either.
 * Values reach SQL only through `sqlLiteral`, content only through JSONEachRow inserts.
 */
import { randomUUID } from 'node:crypto';
import type { ReportArchive, ReportVersion, StoredArtefact } from '@mosy/core';
import { integer, sqlLiteral, text } from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';

const key = (period: string, revision: number): string =>
  `period = ${sqlLiteral(period)} AND revision = ${Math.trunc(revision)}`;

/** A report archive over an open connection (the caller runs the migrations). */
export function createReportArchiveOn(connection: ClickHouseConnection): ReportArchive {
  const tails = new Map<string, Promise<unknown>>();
  /** Runs `work` after every earlier call for the same key has settled. */
  function serially<T>(period: string, revision: number, work: () => Promise<T>): Promise<T> {
    const id = `${period}/${revision}`;
    const run = (tails.get(id) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(id, tail);
    void tail.then(() => {
      if (tails.get(id) === tail) tails.delete(id);
    });
    return run;
  }
  let lastSeq = 0;
  const nextSeq = (): number => {
    lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
    return lastSeq;
  };

  /** The build every reader sees for a key, or undefined when none is stored. */
  async function winner(period: string, revision: number): Promise<string | undefined> {
    const [row] = await connection.select(
      `SELECT build_id FROM report_artefacts WHERE ${key(period, revision)}
       ORDER BY stored_at, build_id LIMIT 1`,
    );
    return row === undefined ? undefined : text(row.build_id);
  }

  const toArtefact = (row: Row): StoredArtefact => ({
    format: text(row.format),
    mediaType: text(row.media_type),
    content: text(row.content),
    sha256: text(row.sha256),
  });

  return {
    put: (version) =>
      serially(version.period, version.revision, async () => {
        if ((await winner(version.period, version.revision)) !== undefined) return 'exists';
        const buildId = randomUUID();
        const storedAt = Date.now();
        await connection.insert(
          'report_artefacts',
          version.artefacts.map((a) => ({
            period: version.period,
            revision: version.revision,
            build_id: buildId,
            stored_at: storedAt,
            built_at: version.builtAt,
            built_by: version.builtBy,
            format: a.format,
            media_type: a.mediaType,
            sha256: a.sha256,
            content: a.content,
          })),
        );
        return (await winner(version.period, version.revision)) === buildId ? 'created' : 'exists';
      }),

    async list(period) {
      const where = period === undefined ? '' : `WHERE period = ${sqlLiteral(period)}`;
      // The first build of each key, then its artefacts' checksums, then its first publication.
      const rows = await connection.select(
        `SELECT period, revision, build_id, any(built_at) AS built_at, any(built_by) AS built_by,
                groupArray(format) AS formats, groupArray(sha256) AS checksums
         FROM report_artefacts
         WHERE (period, revision, build_id) IN (
           SELECT period, revision, build_id FROM report_artefacts ${where}
           ORDER BY period, revision, stored_at, build_id LIMIT 1 BY period, revision)
         GROUP BY period, revision, build_id
         ORDER BY period DESC, revision DESC`,
      );
      const published = await connection.select(
        `SELECT period, revision, published_at AS at, published_by AS by
         FROM report_publications ${where}
         ORDER BY period, revision, published_at, seq LIMIT 1 BY period, revision`,
      );
      const publication = new Map(published.map((p) => [`${text(p.period)}/${integer(p.revision)}`, p]));
      return rows.map((row): ReportVersion => {
        const formats = row.formats as string[];
        const checksums = row.checksums as string[];
        const p = publication.get(`${text(row.period)}/${integer(row.revision)}`);
        return {
          period: text(row.period),
          revision: integer(row.revision),
          builtAt: integer(row.built_at),
          builtBy: text(row.built_by),
          checksums: Object.fromEntries(
            formats.map((f, i): [string, string] => [f, checksums[i]!]).sort(([a], [b]) => (a < b ? -1 : 1)),
          ),
          ...(p === undefined ? {} : { published: { at: integer(p.at), by: text(p.by) } }),
        };
      });
    },

    async artefact(period, revision, format) {
      const build = await winner(period, revision);
      if (build === undefined) return undefined;
      const [row] = await connection.select(
        `SELECT format, media_type, content, sha256 FROM report_artefacts
         WHERE ${key(period, revision)} AND build_id = ${sqlLiteral(build)} AND format = ${sqlLiteral(format)}
         LIMIT 1`,
      );
      return row === undefined ? undefined : toArtefact(row);
    },

    publish: (period, revision, at, by) =>
      serially(period, revision, async () => {
        if ((await winner(period, revision)) === undefined) return false;
        const first = async () =>
          (
            await connection.select(
              `SELECT published_at, seq FROM report_publications WHERE ${key(period, revision)}
             ORDER BY published_at, seq LIMIT 1`,
            )
          )[0];
        if ((await first()) !== undefined) return false;
        const seq = nextSeq();
        await connection.insert('report_publications', [
          { period, revision, published_at: at, seq, published_by: by },
        ]);
        const row = await first();
        return Number(row?.published_at) === at && Number(row?.seq) === seq;
      }),
  };
}
