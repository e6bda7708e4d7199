import { MosyError, type NormalizedRecord } from '@mosy/core';
import { describe, expect, it } from 'vitest';
import { groupApply } from './group-apply.js';

// Only identity matters here: the wrapped apply records which records each call got.
const record = (recordId: string) => ({ providerId: 'p', recordId }) as unknown as NormalizedRecord;
const ids = (records: readonly NormalizedRecord[]) => records.map((r) => r.recordId);

function recordingApply(fail: (records: readonly NormalizedRecord[]) => Error | undefined = () => undefined) {
  const calls: string[][] = [];
  const apply = async (records: readonly NormalizedRecord[]) => {
    calls.push(ids(records));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const error = fail(records);
    if (error !== undefined) throw error;
  };
  return { calls, apply };
}

describe('groupApply', () => {
  it('applies the batches handed over in one turn of the event loop in one call', async () => {
    const { calls, apply } = recordingApply();
    const grouped = groupApply(apply);
    await Promise.all([grouped([record('a'), record('b')]), grouped([record('c')]), grouped([record('d')])]);
    expect(calls).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('joins the batches that arrive while an apply runs into the next call', async () => {
    const calls: string[][] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const grouped = groupApply(async (records) => {
      calls.push(ids(records));
      started();
      await gate;
    });
    const first = grouped([record('a')]);
    await running;
    const later = [grouped([record('b')]), grouped([record('c')])];
    release();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([['a'], ['b', 'c']]);
  });

  it('applies batches awaited one after the other one call each', async () => {
    const { calls, apply } = recordingApply();
    const grouped = groupApply(apply);
    await grouped([record('a')]);
    await grouped([record('b')]);
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('applies each batch alone after a joint apply failed for good, so only the batch at fault fails', async () => {
    const refused = new MosyError('invalid-field', 'record p/bad: period_start is not a date YYYY-MM-DD');
    const { calls, apply } = recordingApply((records) =>
      ids(records).includes('bad') ? refused : undefined,
    );
    const grouped = groupApply(apply);
    const outcomes = await Promise.allSettled([
      grouped([record('a')]),
      grouped([record('bad'), record('b')]),
      grouped([record('c')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(refused);
    expect(calls).toEqual([['a', 'bad', 'b', 'c'], ['a'], ['bad', 'b'], ['c']]);
  });

  it('rejects every batch of a joint apply that failed retriably, without applying them alone', async () => {
    const down = new MosyError('unavailable', 'ClickHouse unreachable (insert into records_current)');
    const { calls, apply } = recordingApply(() => down);
    const grouped = groupApply(apply);
    const outcomes = await Promise.allSettled([grouped([record('a')]), grouped([record('b')])]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('treats an error that is not a MosyError as retriable', async () => {
    const { calls, apply } = recordingApply(() => new Error('socket hang up'));
    const grouped = groupApply(apply);
    const outcomes = await Promise.allSettled([grouped([record('a')]), grouped([record('b')])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toEqual([['a', 'b']]);
  });
});
