import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import type { DeliveredMessage, OutgoingMessage, TopicPayloads } from '@mosy/core';
import { buildDeadLetter, buildSubmissionMessage, runEventBusContract } from '@mosy/testkit';
import { topicSerde } from '@mosy/schemas';
import { FrameBatch } from './frame.js';
import { createMemoryEventBus, inspectLog } from './index.js';
import type { MemoryEventBus, MemoryEventBusOptions } from './index.js';

const dirs: string[] = [];
const buses: MemoryEventBus[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mosy-bus-'));
  dirs.push(dir);
  return dir;
}

async function openBus(dir: string, options: Partial<MemoryEventBusOptions> = {}): Promise<MemoryEventBus> {
  const bus = await createMemoryEventBus({ dir, retryInitialMs: 20, onError: () => undefined, ...options });
  buses.push(bus);
  return bus;
}

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

runEventBusContract({
  create: async (hooks) => {
    const dir = await mkdtemp(join(tmpdir(), 'mosy-bus-contract-'));
    const bus = await createMemoryEventBus({ dir, retryInitialMs: 50, onError: () => undefined, ...hooks });
    return {
      bus,
      close: async () => {
        await bus.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  waitMs: 10_000,
});

const letters = (from: number, to: number, key = 'k'): OutgoingMessage<TopicPayloads['deadletter']>[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ key, value: buildDeadLetter({ version: from + i }) }));

async function until(what: string, check: () => boolean | Promise<boolean>, waitMs = 5000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Consumes `topic` as `group` until `count` messages arrived, then stops; returns their versions. */
async function drain(bus: MemoryEventBus, group: string, count: number): Promise<number[]> {
  const seen: number[] = [];
  const sub = await bus.consume('deadletter', group, (batch) => {
    seen.push(...batch.map((m) => m.value.version));
    return Promise.resolve();
  });
  await until(`${count} messages`, () => seen.length >= count);
  await sub.stop();
  return seen;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function containsText(dir: string, text: string): Promise<boolean> {
  for (const file of await filesUnder(dir)) {
    // Retention may delete a file between listing and reading it.
    const data = await readFile(file).catch(() => Buffer.alloc(0));
    if (data.includes(text)) return true;
  }
  return false;
}

const segmentsDir = (dir: string, topic = 'deadletter'): string => join(dir, topic, 'segments');

describe('durability across restarts', { timeout: 30_000 }, () => {
  it('keeps published messages and committed offsets when the folder is opened again', async () => {
    const dir = await tempDir();
    const first = await openBus(dir);
    await first.publish('deadletter', letters(1, 10));
    const seen: number[] = [];
    const sub = await first.consume(
      'deadletter',
      'g',
      (batch) => {
        seen.push(...batch.map((m) => m.value.version));
        return Promise.resolve();
      },
      { maxBatch: 4 },
    );
    await until('10 messages', () => seen.length === 10);
    await sub.stop();
    await first.publish('deadletter', letters(11, 13));
    await first.close();

    const second = await openBus(dir);
    expect(await second.lag('deadletter', 'g')).toBe(3);
    expect(await drain(second, 'g', 3)).toEqual([11, 12, 13]);
    expect(second.stats('deadletter').endOffset).toBe(13);
  });

  it('cuts a torn tail off the last segment and keeps appending after it', async () => {
    const dir = await tempDir();
    const first = await openBus(dir);
    await first.publish('deadletter', letters(1, 3));
    await first.close();
    const [segment] = await readdir(segmentsDir(dir));
    const path = join(segmentsDir(dir), segment!);
    const intact = (await stat(path)).size;
    // A frame header announcing 100 bytes followed by only 5 of them: an append cut short.
    await appendFile(path, Buffer.from([0, 0, 0, 100, 1, 2, 3, 4, 9, 9, 9, 9, 9]));

    const second = await openBus(dir);
    expect((await stat(path)).size).toBe(intact);
    await second.publish('deadletter', letters(4, 4));
    expect(await drain(second, 'fresh', 4)).toEqual([1, 2, 3, 4]);
  });

  it('cuts a zero-filled tail (a crash after the file grew but before data reached it)', async () => {
    const dir = await tempDir();
    const first = await openBus(dir);
    await first.publish('deadletter', letters(1, 2));
    await first.close();
    const [segment] = await readdir(segmentsDir(dir));
    await appendFile(join(segmentsDir(dir), segment!), Buffer.alloc(4096));
    const second = await openBus(dir);
    expect(second.stats('deadletter').endOffset).toBe(2);
    expect(await drain(second, 'fresh', 2)).toEqual([1, 2]);
  });

  it('cuts a frame whose CRC does not match', async () => {
    const dir = await tempDir();
    const first = await openBus(dir);
    await first.publish('deadletter', letters(1, 2));
    await first.close();
    const [segment] = await readdir(segmentsDir(dir));
    const path = join(segmentsDir(dir), segment!);
    const data = await readFile(path);
    data[data.length - 3]! ^= 0xff;
    await writeFile(path, data);
    const second = await openBus(dir);
    expect(second.stats('deadletter').endOffset).toBe(1);
  });

  it('refuses to open a log whose earlier segment is corrupt, rather than lose what follows', async () => {
    const dir = await tempDir();
    const first = await openBus(dir, { segmentBytes: 300 });
    for (let i = 1; i <= 6; i++) await first.publish('deadletter', letters(i, i));
    expect(first.stats('deadletter').segments).toBeGreaterThan(1);
    await first.close();
    const [oldest] = (await readdir(segmentsDir(dir))).sort();
    const path = join(segmentsDir(dir), oldest!);
    const data = await readFile(path);
    data[20]! ^= 0xff;
    await writeFile(path, data);
    await expect(createMemoryEventBus({ dir })).rejects.toThrow(/corrupt/);
  });

  it('reads across segments when the active one rolls at segmentBytes', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { segmentBytes: 500 });
    for (let i = 0; i < 10; i++) await bus.publish('deadletter', letters(i * 5 + 1, i * 5 + 5));
    expect(bus.stats('deadletter').segments).toBeGreaterThanOrEqual(5);
    expect(await drain(bus, 'g', 50)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('schema versions', { timeout: 30_000 }, () => {
  it('reads messages written with an older schema version, resolving them to the current one', async () => {
    const dir = await tempDir();
    const segments = join(dir, 'submissions', 'segments');
    await mkdir(segments, { recursive: true });
    const v1 = topicSerde('submissions', { version: 1 });
    expect(v1.version).toBeLessThan(topicSerde('submissions').version);
    const message = buildSubmissionMessage({ record: { identity: { familyName: 'X' } } });
    const frames = new FrameBatch(256);
    frames.add(1, 'prov-a/r1', (buffer, offset) => v1.encodeInto(message, buffer, offset));
    await writeFile(join(segments, '00000000000000000000.seg'), frames.data);

    const bus = await openBus(dir);
    const seen: unknown[] = [];
    const sub = await bus.consume('submissions', 'g', (batch) => {
      seen.push(...batch.map((m) => m.value));
      return Promise.resolve();
    });
    await until('the v1 message', () => seen.length === 1);
    await sub.stop();
    expect(seen).toStrictEqual([message]);
  });
});

describe('one consumer per group', { timeout: 30_000 }, () => {
  it('rejects a second consumer of the same group and topic until the first stops', async () => {
    const bus = await openBus(await tempDir());
    const sub = await bus.consume('deadletter', 'g', () => Promise.resolve());
    await expect(bus.consume('deadletter', 'g', () => Promise.resolve())).rejects.toMatchObject({
      code: 'conflict',
    });
    const other = await bus.consume('records', 'g', () => Promise.resolve());
    await other.stop();
    await sub.stop();
    const again = await bus.consume('deadletter', 'g', () => Promise.resolve());
    await again.stop();
  });

  it('rejects a second bus on the same folder while the first is open', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir);
    const error: unknown = await createMemoryEventBus({ dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyError);
    expect((error as MosyError).code).toBe('conflict');
    await bus.close();
    await (await openBus(dir)).close();
  });

  it('rejects an invalid maxBatch', async () => {
    const bus = await openBus(await tempDir());
    await expect(
      bus.consume('deadletter', 'g', () => Promise.resolve(), { maxBatch: 0 }),
    ).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });
});

describe('retention', { timeout: 30_000 }, () => {
  it('leaves no submission bytes on disk once every group has consumed them and the pipeline is idle', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { consumedRetentionMs: 100 });
    const secret = 'Zyxwvutsrq-Identity';
    const submission = buildSubmissionMessage({ record: { identity: { familyName: secret } } });
    for (let i = 0; i < 5; i++) await bus.publish('submissions', [{ key: `p/${i}`, value: submission }]);
    const containsSecret = (): Promise<boolean> => containsText(dir, secret);
    expect(await containsSecret()).toBe(true);

    const handled: DeliveredMessage<TopicPayloads['submissions']>[] = [];
    const normalizer = await bus.consume('submissions', 'normalizer', (batch) => {
      handled.push(...batch);
      return Promise.resolve();
    });
    const audit = await bus.consume('submissions', 'audit', () => Promise.resolve());
    await until('5 submissions', () => handled.length === 5);
    expect(handled[0]?.value.record.identity).toEqual({ familyName: secret });

    // The audit group has consumed too (it is fast); everything is deleted once the segment is old enough.
    await until('lag 0 for both groups', async () => (await bus.lag('submissions', 'audit')) === 0);
    await until('the identity gone from disk', async () => !(await containsSecret()), 3000);
    expect(bus.stats('submissions')).toMatchObject({ startOffset: 5, endOffset: 5, bytes: 0 });
    await normalizer.stop();
    await audit.stop();

    // After a restart the offsets stay where they were.
    await bus.close();
    const reopened = await openBus(dir, { consumedRetentionMs: 100 });
    expect(reopened.stats('submissions')).toMatchObject({ startOffset: 5, endOffset: 5 });
    expect(await reopened.lag('submissions', 'normalizer')).toBe(0);
    await reopened.publish('submissions', [{ key: 'p/5', value: submission }]);
    expect(await reopened.lag('submissions', 'normalizer')).toBe(1);
  });

  it('deletes on reopening a segment whose records every group had committed before a crash', async () => {
    const dir = await tempDir();
    // A long age rule: the fully consumed segment stays while the bus runs, as in the moment before a kill.
    const bus = await openBus(dir, { consumedRetentionMs: 60_000 });
    const secret = 'Qwertzuiop-Identity';
    const submission = buildSubmissionMessage({ record: { identity: { familyName: secret } } });
    await bus.publish(
      'submissions',
      [1, 2, 3].map((i) => ({ key: `p/${i}`, value: submission })),
    );
    const seen: number[] = [];
    const normalizer = await bus.consume('submissions', 'normalizer', (batch) => {
      seen.push(batch.length);
      return Promise.resolve();
    });
    await until('all consumed', async () => (await bus.lag('submissions', 'normalizer')) === 0);
    expect(await containsText(dir, secret)).toBe(true);
    // The state on disk at a SIGKILL: a copy of the folder while the bus still holds it (committed offsets are
    // durable, the LOCK names a process that will not release it).
    const crashed = await tempDir();
    await cp(dir, crashed, { recursive: true });
    await normalizer.stop();
    // Looking at the crashed folder changes nothing in it.
    const snapshot = await inspectLog(crashed, 'submissions');
    expect(snapshot).toEqual({ startOffset: 0, endOffset: 3, committed: new Map([['normalizer', 3]]) });
    expect(await containsText(crashed, secret)).toBe(true);

    const reopened = await openBus(crashed, { consumedRetentionMs: 60_000 });
    expect(reopened.stats('submissions')).toMatchObject({ startOffset: 3, endOffset: 3, bytes: 0 });
    expect(await containsText(crashed, secret)).toBe(false);
    expect(await readdir(segmentsDir(crashed, 'submissions'))).toEqual(['00000000000000000003.seg']);
    expect(await reopened.lag('submissions', 'normalizer')).toBe(0);
  });

  it('keeps on reopening what a registered group has not committed', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { consumedRetentionMs: 0 });
    const slow = await bus.consume('deadletter', 'slow', () => Promise.resolve());
    await slow.stop();
    await bus.publish('deadletter', letters(1, 4));
    expect(await drain(bus, 'fast', 4)).toEqual([1, 2, 3, 4]);
    await bus.close();
    const reopened = await openBus(dir, { consumedRetentionMs: 0 });
    expect(reopened.stats('deadletter')).toMatchObject({ startOffset: 0, endOffset: 4 });
    expect(await drain(reopened, 'slow', 4)).toEqual([1, 2, 3, 4]);
  });

  it('deletes a consumed segment of any age on a graceful close', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { consumedRetentionMs: 60_000 });
    await bus.publish('deadletter', letters(1, 3));
    expect(await drain(bus, 'g', 3)).toEqual([1, 2, 3]);
    expect(bus.stats('deadletter').bytes).toBeGreaterThan(0);
    await bus.close();
    expect(await readdir(segmentsDir(dir))).toEqual(['00000000000000000003.seg']);
    expect((await stat(join(segmentsDir(dir), '00000000000000000003.seg'))).size).toBe(0);
  });

  it('keeps what a registered group has not consumed, even while it is not running', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { consumedRetentionMs: 0 });
    const slow = await bus.consume('deadletter', 'slow', () => Promise.resolve());
    await slow.stop();
    await bus.publish('deadletter', letters(1, 4));
    expect(await drain(bus, 'fast', 4)).toEqual([1, 2, 3, 4]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bus.stats('deadletter').startOffset).toBe(0);
    expect(await drain(bus, 'slow', 4)).toEqual([1, 2, 3, 4]);
    await until('retention', () => bus.stats('deadletter').startOffset === 4);
  });

  it('keeps everything while no group has consumed the topic', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { consumedRetentionMs: 0 });
    await bus.publish('deadletter', letters(1, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bus.stats('deadletter')).toMatchObject({ startOffset: 0, endOffset: 3 });
    expect(await bus.lag('deadletter', 'anyone')).toBe(3);
  });

  it('deletes consumed older segments at once under load', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir, { segmentBytes: 400, consumedRetentionMs: 60_000 });
    for (let i = 0; i < 8; i++) await bus.publish('deadletter', letters(i * 3 + 1, i * 3 + 3));
    const segments = bus.stats('deadletter').segments;
    expect(segments).toBeGreaterThan(2);
    await drain(bus, 'g', 24);
    await until('older segments deleted', () => bus.stats('deadletter').segments === 1);
    // The active segment is young: it stays until consumedRetentionMs.
    expect(bus.stats('deadletter').endOffset).toBe(24);
    expect((await readdir(segmentsDir(dir))).length).toBe(1);
  });
});

describe('publishing', { timeout: 30_000 }, () => {
  it('resolves concurrent publishes together and keeps each publish contiguous', async () => {
    const bus = await openBus(await tempDir());
    await Promise.all(
      Array.from({ length: 20 }, (_, p) =>
        bus.publish('deadletter', letters(p * 10 + 1, p * 10 + 10, `k${p}`)),
      ),
    );
    expect(bus.stats('deadletter').endOffset).toBe(200);
    const seen: { key: string; version: number }[] = [];
    const sub = await bus.consume('deadletter', 'g', (batch) => {
      seen.push(...batch.map((m) => ({ key: m.key, version: m.value.version })));
      return Promise.resolve();
    });
    await until('200 messages', () => seen.length === 200);
    await sub.stop();
    for (let start = 0; start < 200; start += 10) {
      const chunk = seen.slice(start, start + 10);
      expect(new Set(chunk.map((m) => m.key)).size).toBe(1);
      expect(chunk.map((m) => m.version % 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    }
  });

  it('hands a consumer in this process the very values published, and decodes them after a restart', async () => {
    const dir = await tempDir();
    const bus = await openBus(dir);
    // Registered, so that retention keeps the messages for it to read after the restart.
    await (await bus.consume('deadletter', 'later', () => Promise.resolve())).stop();
    const seen: DeliveredMessage<TopicPayloads['deadletter']>[] = [];
    const sub = await bus.consume('deadletter', 'g', (batch) => {
      seen.push(...batch);
      return Promise.resolve();
    });
    const published = Array.from({ length: 20 }, (_, p) => letters(p * 10 + 1, p * 10 + 10, `k${p}`));
    // Concurrent publishes are written together: each message must still be found at its own offset.
    await Promise.all(published.map((batch) => bus.publish('deadletter', batch)));
    await until('200 messages', () => seen.length === 200);
    await sub.stop();
    const byKeyAndVersion = new Map(published.flat().map((m) => [`${m.key}/${m.value.version}`, m.value]));
    for (const m of seen) expect(m.value).toBe(byKeyAndVersion.get(`${m.key}/${m.value.version}`));
    await bus.close();

    const reopened = await openBus(dir);
    const again: DeliveredMessage<TopicPayloads['deadletter']>[] = [];
    const sub2 = await reopened.consume('deadletter', 'later', (batch) => {
      again.push(...batch);
      return Promise.resolve();
    });
    await until('200 messages again', () => again.length === 200);
    await sub2.stop();
    for (const m of again) {
      const original = byKeyAndVersion.get(`${m.key}/${m.value.version}`);
      expect(m.value).toEqual(original);
      expect(m.value).not.toBe(original);
    }
  });

  it('rejects publishing, consuming and lag after close', async () => {
    const bus = await openBus(await tempDir());
    await bus.close();
    await expect(bus.publish('deadletter', letters(1, 1))).rejects.toMatchObject({ code: 'unavailable' });
    await expect(bus.consume('deadletter', 'g', () => Promise.resolve())).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(bus.lag('deadletter', 'g')).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('redelivery', { timeout: 30_000 }, () => {
  it('backs off exponentially between attempts at a failing batch and reports each failure', async () => {
    const failures: { attempt?: number; retryInMs?: number }[] = [];
    const bus = await openBus(await tempDir(), {
      retryInitialMs: 10,
      retryMaxMs: 40,
      onError: (_e, context) => failures.push({ attempt: context.attempt, retryInMs: context.retryInMs }),
    });
    await bus.publish('deadletter', letters(1, 1));
    let calls = 0;
    const sub = await bus.consume('deadletter', 'g', () =>
      ++calls <= 5 ? Promise.reject(new Error('no')) : Promise.resolve(),
    );
    await until('6 calls', () => calls === 6);
    await until('lag 0', async () => (await bus.lag('deadletter', 'g')) === 0);
    await sub.stop();
    expect(failures.map((f) => f.retryInMs)).toEqual([10, 20, 40, 40, 40]);
    expect(failures.map((f) => f.attempt)).toEqual([1, 2, 3, 4, 5]);
  });
});
