// The file journal refuses entries in a format it does not know (a later release's) rather than misreading them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameBatch } from './frame.js';
import { openFileJournal } from './journal.js';
import { TopicLog } from './topic-log.js';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

describe('FileJournal', () => {
  it('reads its entries back after reopening, and refuses an entry of an unknown format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mosy-journal-'));
    folders.push(dir);
    const journal = await openFileJournal<{ n: number }>({ dir, fsync: false });
    expect(await journal.append([{ n: 1 }, { n: 2 }])).toBe(0);
    await journal.close();

    // As a later release would write it: format 2.
    const log = await TopicLog.open({
      dir,
      segmentBytes: 1024 * 1024,
      fsync: false,
      consumedRetentionMs: 1000,
      now: Date.now,
      onBackgroundError: () => undefined,
    });
    const frames = new FrameBatch(64);
    const json = Buffer.from('{"n":3}');
    frames.add(2, '', (buffer, offset) => {
      if (offset + json.length > buffer.length) return -(offset + json.length - buffer.length);
      return offset + json.copy(buffer, offset);
    });
    await log.append(frames.data, frames.frameLengths, [undefined]);
    await log.close();

    const reopened = await openFileJournal<{ n: number }>({ dir, fsync: false });
    try {
      expect(await reopened.read(0, 2)).toEqual([{ n: 1 }, { n: 2 }]);
      await expect(reopened.read(2, 1)).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringMatching(/position 2\) in format 2.*reads format 1/) as unknown,
      });
    } finally {
      await reopened.close();
    }
  });
});
