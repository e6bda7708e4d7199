/**
 * `FileJournal`: a durable, local, append-only list of JSON values, for a write-behind store in the embedded runtime
 * (the intake ledger's journal). It is a topic log without the bus: the same segment files, CRC-checked frames,
 * torn-tail recovery and group commit (appends arriving during a write share its one fdatasync), but values are
 * JSON rather than a topic's Avro schema, and there is one reader, which says up to where it has durably applied
 * the entries elsewhere (`release`) and reads from its own record of that position after a restart. Not a topic of
 * the `EventBus`: those are the port's typed topics, shared with Kafka, while this journal never leaves the process.
 */
import { mkdir } from 'node:fs/promises';
import { MosyError } from '@mosy/core';
import { lockDir } from './dir-lock.js';
import { FrameBatch } from './frame.js';
import { TopicLog } from './topic-log.js';

export interface FileJournalOptions {
  /** The journal's folder; created if missing. Only one journal may open it at a time. */
  readonly dir: string;
  /** fdatasync appends before acknowledging them. Only tests should turn it off. @defaultValue true */
  readonly fsync?: boolean;
  /** A segment file is closed and a new one started when an append would take it past this size. @defaultValue 16 MiB */
  readonly segmentBytes?: number;
  /**
   * How long a fully released segment may stay open for more appends before it is deleted (a busy journal then does
   * not start a new file at every release). @defaultValue 1000, as the bus's
   */
  readonly consumedRetentionMs?: number;
  /** Told about failures of background work (deleting applied segments, retried at the next release). */
  readonly onError?: (error: unknown) => void;
}

export interface FileJournal<T> {
  /** The position of the first entry still held (earlier ones were released and deleted). */
  readonly start: number;
  /** The position the next entry will get. */
  readonly end: number;
  /** Appends entries; resolves once they are durable, with the position of the first. */
  append(entries: readonly T[]): Promise<number>;
  /** Up to `max` entries from `position` (fewer at the end of a segment); [] at the end. */
  read(position: number, max: number): Promise<T[]>;
  /** Everything before `position` is applied elsewhere, durably: it may be deleted. */
  release(position: number): Promise<void>;
  close(): Promise<void>;
}

/** The one reader: the log keeps what it has not released. */
const READER = 'applied';
const SCHEMA_VERSION = 1;

/** Opens (creating) the journal in `options.dir`, cutting off the torn tail of an append a crash interrupted. */
export async function openFileJournal<T>(options: FileJournalOptions): Promise<FileJournal<T>> {
  await mkdir(options.dir, { recursive: true });
  const lock = await lockDir(options.dir);
  const onError =
    options.onError ??
    ((error: unknown) =>
      console.error(`[journal] ${error instanceof Error ? error.message : String(error)}`));
  let log: TopicLog;
  try {
    log = await TopicLog.open({
      dir: options.dir,
      segmentBytes: options.segmentBytes ?? 16 * 1024 * 1024,
      fsync: options.fsync ?? true,
      consumedRetentionMs: options.consumedRetentionMs ?? 1000,
      now: Date.now,
      onBackgroundError: onError,
    });
    await log.register(READER);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return {
    get start() {
      return log.start;
    },
    get end() {
      return log.end;
    },
    append(entries) {
      const frames = new FrameBatch(entries.length * 512);
      for (const entry of entries) {
        const json = JSON.stringify(entry);
        frames.add(SCHEMA_VERSION, '', (buffer, offset) => {
          const bytes = Buffer.byteLength(json);
          if (offset + bytes > buffer.length) return -(offset + bytes - buffer.length);
          return offset + buffer.write(json, offset, 'utf8');
        });
      }
      return log.append(frames.data, frames.frameLengths, entries);
    },
    async read(position, max) {
      const frames = await log.read(position, max);
      return frames.map((frame, i) => {
        // Written by a later release (after a downgrade): its entries might not mean what this release reads.
        if (frame.schemaVersion !== SCHEMA_VERSION)
          throw new MosyError(
            'unavailable',
            `The journal in ${options.dir} holds an entry (position ${position + i}) in format ${frame.schemaVersion}, which this release does not know (it reads format ${SCHEMA_VERSION}): start the release that wrote it, or restore the data folder from a backup taken with this release.`,
          );
        // What this process appended a moment ago is still in memory, the same value the bytes would decode to.
        return (
          (log.recentValue(position + i) as T | undefined) ?? (JSON.parse(frame.value.toString('utf8')) as T)
        );
      });
    },
    release(position) {
      return log.commit(READER, position);
    },
    async close() {
      await log.close();
      await lock.release();
    },
  };
}
