/**
 * The contract every `ReportArchive` adapter passes, run by each adapter's tests in a few lines:
 * `runReportArchiveContract({ create })`. Each test gets a fresh, empty archive.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportArchive, ReportVersionInput, StoredArtefact } from '@mosy/core';

export interface ReportArchiveContractOptions {
  /** A fresh, empty archive (migrated) and how to dispose of it. */
  readonly create: () => Promise<{ readonly archive: ReportArchive; readonly close: () => Promise<void> }>;
}

const artefact = (format: string, content: string): StoredArtefact => ({
  format,
  mediaType: format === 'json' ? 'application/json' : 'text/csv; charset=utf-8',
  content,
  sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
});

const version = (period: string, revision: number, text = 'a'): ReportVersionInput => ({
  period,
  revision,
  builtAt: 1_780_000_000_000 + revision,
  builtBy: 'scheduler',
  artefacts: [
    artefact('sdmx-csv', `DATAFLOW,OBS_VALUE\r\nMOSY:THB_VICTIMS(1.0),${text}\r\n`),
    artefact('json', `{"text":"${text}","odd":"é, \\"q\\" ' \\n"}\n`),
  ],
});

export function runReportArchiveContract(options: ReportArchiveContractOptions): void {
  describe('ReportArchive contract', () => {
    let archive: ReportArchive;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ archive, close } = await options.create());
    });
    afterEach(async () => {
      await close();
    });

    it('starts empty', async () => {
      expect(await archive.list()).toEqual([]);
      expect(await archive.artefact('2026-Q1', 0, 'json')).toBeUndefined();
    });

    it('keeps every artefact exactly as stored, with its checksum', async () => {
      const v = version('2026-Q1', 0, 'x');
      expect(await archive.put(v)).toBe('created');
      for (const a of v.artefacts) expect(await archive.artefact('2026-Q1', 0, a.format)).toEqual(a);
      expect(await archive.artefact('2026-Q1', 0, 'csv')).toBeUndefined();
      expect(await archive.artefact('2026-Q1', 1, 'json')).toBeUndefined();
      expect(await archive.list()).toEqual([
        {
          period: '2026-Q1',
          revision: 0,
          builtAt: v.builtAt,
          builtBy: 'scheduler',
          checksums: Object.fromEntries(v.artefacts.map((a) => [a.format, a.sha256])),
        },
      ]);
    });

    it('never replaces a stored version: a second put of the same period and revision writes nothing', async () => {
      expect(await archive.put(version('2026-Q1', 0, 'first'))).toBe('created');
      expect(await archive.put(version('2026-Q1', 0, 'second'))).toBe('exists');
      expect((await archive.artefact('2026-Q1', 0, 'json'))!.content).toContain('first');
      expect(await archive.list()).toHaveLength(1);
    });

    it('stores one version when several puts race', async () => {
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((text) => archive.put(version('2026-Q2', 0, text))),
      );
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      const listed = await archive.list('2026-Q2');
      expect(listed).toHaveLength(1);
      const json = await archive.artefact('2026-Q2', 0, 'json');
      expect(listed[0]!.checksums.json).toBe(json!.sha256);
    });

    it('lists by period then revision, newest first, and filters by period', async () => {
      await archive.put(version('2025-Q4', 0));
      await archive.put(version('2026-Q1', 0));
      await archive.put(version('2026-Q1', 1));
      await archive.put(version('2026-Q1', 2));
      const all = await archive.list();
      expect(all.map((v) => `${v.period}r${v.revision}`)).toEqual([
        '2026-Q1r2',
        '2026-Q1r1',
        '2026-Q1r0',
        '2025-Q4r0',
      ]);
      expect((await archive.list('2025-Q4')).map((v) => v.revision)).toEqual([0]);
      expect(await archive.list('2024-Q1')).toEqual([]);
    });

    it('publishes a stored version once', async () => {
      await archive.put(version('2026-Q1', 0));
      expect(await archive.publish('2026-Q1', 1, 2000, 'key_x')).toBe(false);
      expect(await archive.publish('2026-Q1', 0, 1000, 'key_a')).toBe(true);
      expect(await archive.publish('2026-Q1', 0, 3000, 'key_b')).toBe(false);
      const [v] = await archive.list('2026-Q1');
      expect(v!.published).toEqual({ at: 1000, by: 'key_a' });
      await archive.put(version('2026-Q1', 1));
      const listed = await archive.list('2026-Q1');
      expect(listed[0]!.published).toBeUndefined();
      expect(listed[1]!.published).toEqual({ at: 1000, by: 'key_a' });
    });
  });
}
