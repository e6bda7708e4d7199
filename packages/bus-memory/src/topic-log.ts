/**
 * The durable log of one topic: a folder of segment files plus the committed offsets of its consumer groups.
 * Appends are group-committed: publishes that arrive while a write is being made durable are written together with
 * one fsync. Retention deletes what every registered group has consumed, including the active segment once it is
 * fully consumed and old enough, so an idle pipeline leaves no consumed message on disk (the submissions topic
 * carries identity until the normalizer has seen it). Retention also runs when the log is opened and when it is
 * closed, regardless of age: a process that crashed after its consumers committed, and restarts with nothing
 * left to read, would otherwise never commit again, and its consumed segment would stay on disk for good.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MosyError } from '@mosy/core';
import type { DecodedFrame } from './frame.js';
import { OffsetStore } from './offsets.js';
import { Segment, parseSegmentFileName, segmentFileName } from './segment.js';
import { syncDir } from './sync-dir.js';
import { logWriteError } from './write-error.js';

export interface TopicLogOptions {
  readonly dir: string;
  readonly segmentBytes: number;
  readonly fsync: boolean;
  readonly consumedRetentionMs: number;
  readonly now: () => number;
  /** Told about failures of background work (retention), which is retried on the next commit. */
  readonly onBackgroundError: (error: unknown) => void;
}

export interface LogStats {
  /** The first offset still on disk. */
  readonly startOffset: number;
  /** The offset the next message will get. */
  readonly endOffset: number;
  readonly segments: number;
  readonly bytes: number;
}

interface PendingAppend {
  readonly data: Buffer;
  readonly frameLengths: readonly number[];
  /** The messages the frames encode, in order, kept for this process's consumers (see `recentValue`). */
  readonly values: readonly unknown[] | undefined;
  /** Called with the offset of the append's first frame. */
  readonly resolve: (base: number) => void;
  readonly reject: (error: unknown) => void;
}

export const SEGMENTS_DIR = 'segments';
/**
 * Most messages whose values are kept in memory for consumers in this process (a lagging consumer decodes the
 * rest): about two 10 000-record submissions in flight, plus the batch being consumed.
 */
const MAX_RECENT_VALUES = 30_000;
export const OFFSETS_DIR = 'offsets';

export const closedError = (): MosyError =>
  new MosyError('unavailable', 'the event bus is closed', { retriable: false });

export class TopicLog {
  private readonly pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly waiters = new Set<() => void>();
  /** Published values by offset, in offset order, until every group has consumed them. */
  private readonly recent = new Map<number, unknown>();
  private retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly options: TopicLogOptions,
    private readonly segments: Segment[],
    private readonly offsets: OffsetStore,
    /** Committed offset of every registered group: retention keeps what any of them has not consumed. */
    private readonly groups: Map<string, number>,
  ) {}

  /** Opens (creating) the topic folder, recovering from a crash: a torn tail is cut off the last segment. */
  static async open(options: TopicLogOptions): Promise<TopicLog> {
    const segmentsDir = join(options.dir, SEGMENTS_DIR);
    await mkdir(segmentsDir, { recursive: true });
    const bases = (await readdir(segmentsDir))
      .map(parseSegmentFileName)
      .filter((base): base is number => base !== undefined)
      .sort((a, b) => a - b);
    const segments: Segment[] = [];
    const now = options.now();
    for (const [i, base] of bases.entries()) {
      const last = i === bases.length - 1;
      const segment = await Segment.open(join(segmentsDir, segmentFileName(base)), base, now, {
        truncateTornTail: last,
        fsync: options.fsync,
      });
      const previous = segments[segments.length - 1];
      if (previous && previous.end !== base) {
        throw new MosyError(
          'internal',
          `log ${options.dir}: segment ${base} does not follow offset ${previous.end}`,
        );
      }
      segments.push(segment);
    }
    if (segments.length === 0) {
      segments.push(await Segment.create(join(segmentsDir, segmentFileName(0)), 0, now));
      if (options.fsync) await syncDir(segmentsDir);
    }
    const { store, offsets } = await OffsetStore.open(join(options.dir, OFFSETS_DIR), options.fsync);
    const log = new TopicLog(options, segments, store, offsets);
    // Offsets outside the log exist only after a crash without fsync, or a lost segment: clamp them.
    for (const [group, offset] of offsets) offsets.set(group, Math.min(Math.max(offset, log.start), log.end));
    try {
      await log.applyRetention('regardless-of-age');
    } catch (error) {
      await log.close();
      throw error;
    }
    return log;
  }

  get start(): number {
    return this.segments[0]?.base ?? 0;
  }

  get end(): number {
    return this.active.end;
  }

  private get active(): Segment {
    const segment = this.segments[this.segments.length - 1];
    if (!segment) throw new MosyError('internal', 'a topic log has no segment');
    return segment;
  }

  stats(): LogStats {
    return {
      startOffset: this.start,
      endOffset: this.end,
      segments: this.segments.length,
      bytes: this.segments.reduce((sum, s) => sum + s.size, 0),
    };
  }

  /**
   * Appends frames (concatenated in `data`); resolves once they are durable, with the offset of the first. Appends
   * made while an earlier one is being written go to disk together, with one fsync.
   */
  append(data: Buffer, frameLengths: readonly number[], values?: readonly unknown[]): Promise<number> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      this.pending.push({ data, frameLengths, values, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        let base = await this.exclusive(() => this.write(batch));
        for (const p of batch) {
          p.resolve(base);
          base += p.frameLengths.length;
        }
      } catch (error) {
        const reason = logWriteError(error);
        for (const p of batch) p.reject(reason);
      }
    }
    this.flushing = undefined;
  }

  /** Writes the appends in order; returns the offset of the first frame. */
  private async write(appends: readonly PendingAppend[]): Promise<number> {
    const data =
      appends.length === 1 && appends[0] ? appends[0].data : Buffer.concat(appends.map((a) => a.data));
    let segment = this.active;
    if (segment.size > 0 && segment.size + data.length > this.options.segmentBytes) {
      segment = await this.roll();
    }
    const base = segment.end;
    await segment.append(
      data,
      appends.flatMap((a) => a.frameLengths),
      this.options.fsync,
    );
    this.keepValues(base, appends);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    return base;
  }

  /**
   * Keeps the values of the frames just written from `base` on, so that a consumer in this process need not decode
   * what was encoded here a moment ago; only while they fit under the cap, and only whole appends.
   */
  private keepValues(base: number, appends: readonly PendingAppend[]): void {
    // Nobody in this process would read them (the dead-letter topic of the embedded runtime).
    if (this.groups.size === 0) return;
    let offset = base;
    for (const { values, frameLengths } of appends) {
      if (values !== undefined && this.recent.size + values.length <= MAX_RECENT_VALUES) {
        for (const [i, value] of values.entries()) this.recent.set(offset + i, value);
      }
      offset += frameLengths.length;
    }
  }

  /**
   * The value published at `offset` by this process, if still kept: the same object the publisher passed (the
   * frame's bytes decode to an equal one), so it must not be changed.
   */
  recentValue(offset: number): unknown {
    return this.recent.get(offset);
  }

  /** Drops the kept values every group has consumed (the map is in offset order). */
  private forgetConsumed(): void {
    const consumed = this.consumed();
    for (const offset of this.recent.keys()) {
      if (offset >= consumed) break;
      this.recent.delete(offset);
    }
  }

  /** Starts a new, empty active segment at the end offset (whose file name keeps the offset across restarts). */
  private async roll(): Promise<Segment> {
    const dir = join(this.options.dir, SEGMENTS_DIR);
    const segment = await Segment.create(join(dir, segmentFileName(this.end)), this.end, this.options.now());
    if (this.options.fsync) await syncDir(dir);
    this.segments.push(segment);
    return segment;
  }

  /** Runs `task` after every earlier one: appends, rolls and deletions never interleave. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Calls `callback` once, at the next append (or at close). */
  onNextAppend(callback: () => void): void {
    this.waiters.add(callback);
  }

  /** Up to `max` frames from `offset`, all from one segment (so possibly fewer than are available). */
  async read(offset: number, max: number): Promise<DecodedFrame[]> {
    const segment = this.segments.find((s) => offset >= s.base && offset < s.end);
    if (!segment) {
      if (offset >= this.end) return [];
      throw new MosyError('internal', `offset ${offset} is before the start of the log (${this.start})`);
    }
    return segment.read(offset, max);
  }

  /** The group's committed offset, or undefined if it never consumed this topic. */
  committed(group: string): number | undefined {
    return this.groups.get(group);
  }

  /**
   * Registers a group (durably, so retention keeps what it has not read across restarts) and returns where it
   * resumes: its committed offset, or the start of the log for a new group.
   */
  async register(group: string): Promise<number> {
    const committed = this.groups.get(group);
    if (committed !== undefined) return committed;
    const start = this.start;
    this.groups.set(group, start);
    await this.offsets.commit(group, start);
    return start;
  }

  /** Durably records the group's next offset, then lets retention drop what everyone has consumed. */
  async commit(group: string, offset: number): Promise<void> {
    await this.offsets.commit(group, offset);
    this.groups.set(group, offset);
    this.forgetConsumed();
    this.retainInBackground();
  }

  private retainInBackground(): void {
    this.exclusive(() => (this.closed ? Promise.resolve() : this.applyRetention('when-old'))).catch(
      this.options.onBackgroundError,
    );
  }

  /**
   * Deletes what every registered group has consumed. A fully consumed active segment is closed and deleted once it
   * is `consumedRetentionMs` old (so a busy log does not start a new file on every commit), or at once when the log
   * is being opened or closed, where no append can follow soon and no later commit may ever come.
   */
  private async applyRetention(activeSegment: 'when-old' | 'regardless-of-age'): Promise<void> {
    if (this.groups.size === 0) return;
    const active = this.active;
    if (active.count > 0 && active.end <= this.consumed()) {
      const age = this.options.now() - active.openedAt;
      if (activeSegment === 'regardless-of-age' || age >= this.options.consumedRetentionMs) await this.roll();
      else this.armRetentionTimer(this.options.consumedRetentionMs - age);
    }
    // Checked afresh for each segment, synchronously with taking it off the list: a group registered meanwhile
    // starts at the new log start, never at a segment about to be deleted.
    while (this.segments.length > 1 && (this.segments[0]?.end ?? Infinity) <= this.consumed()) {
      const segment = this.segments.shift();
      await segment?.delete();
    }
  }

  /** Everything before this offset has been consumed by every registered group. */
  private consumed(): number {
    return Math.min(...this.groups.values());
  }

  private armRetentionTimer(delayMs: number): void {
    if (this.retentionTimer) return;
    this.retentionTimer = setTimeout(() => {
      this.retentionTimer = undefined;
      this.retainInBackground();
    }, delayMs);
    // Retention must not keep a process alive that has nothing else to do.
    this.retentionTimer.unref();
  }

  /**
   * Finishes pending appends, deletes what every group has consumed (a graceful stop leaves no consumed message
   * behind, whatever its age), then closes the files. Later appends reject.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retentionTimer);
    await this.flushing;
    this.recent.clear();
    await this.exclusive(() => this.applyRetention('regardless-of-age')).catch(
      this.options.onBackgroundError,
    );
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    await Promise.all(this.segments.map((s) => s.close()));
    await this.offsets.close();
  }
}
