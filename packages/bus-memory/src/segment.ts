/**
 * One segment file of a topic's log: the frames of a contiguous range of offsets, starting at the offset in the
 * file's name. Keeps an in-memory index of frame positions so a read of N messages is one positioned read. On
 * open, the frames are checked and a torn tail (an append cut short by a crash) is cut off; only the last segment
 * of a log may have one, since a segment is closed for appends only after its last write was made durable.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { MosyError } from '@mosy/core';
import { decodeFrame, validFrameLength } from './frame.js';
import type { DecodedFrame } from './frame.js';

const NAME_DIGITS = 20;
const SUFFIX = '.seg';

export const segmentFileName = (base: number): string =>
  `${String(base).padStart(NAME_DIGITS, '0')}${SUFFIX}`;

/** The base offset a segment file name stands for, or undefined for any other file. */
export function parseSegmentFileName(name: string): number | undefined {
  if (name.length !== NAME_DIGITS + SUFFIX.length || !name.endsWith(SUFFIX)) return undefined;
  const digits = name.slice(0, NAME_DIGITS);
  return /^[0-9]+$/.test(digits) ? Number(digits) : undefined;
}

export interface RecoveryOptions {
  /** Cut a torn tail off (the last segment) rather than refuse to open (any other). */
  readonly truncateTornTail: boolean;
  readonly fsync: boolean;
}

export class Segment {
  /** Start of each frame in the file. */
  private readonly positions: number[];
  /** Reads in progress: the file is closed only when none is left. */
  private readers = 0;
  private closing: Promise<void> | undefined;
  private deleted = false;

  private constructor(
    readonly base: number,
    readonly path: string,
    private readonly file: FileHandle,
    positions: number[],
    /** Bytes of complete, durable frames. */
    private bytes: number,
    /** When this process opened or created the segment: the start of its retention age. */
    readonly openedAt: number,
  ) {
    this.positions = positions;
  }

  get count(): number {
    return this.positions.length;
  }

  /** One past the last offset in the segment. */
  get end(): number {
    return this.base + this.positions.length;
  }

  get size(): number {
    return this.bytes;
  }

  /** Creates an empty segment file (which must not exist). */
  static async create(path: string, base: number, now: number): Promise<Segment> {
    const file = await open(path, 'wx+');
    return new Segment(base, path, file, [], 0, now);
  }

  /** Opens an existing segment, indexing its frames and checking each one's CRC. */
  static async open(path: string, base: number, now: number, options: RecoveryOptions): Promise<Segment> {
    const data = await readFile(path);
    const positions: number[] = [];
    let offset = 0;
    for (;;) {
      const length = validFrameLength(data, offset);
      if (length === 0) break;
      positions.push(offset);
      offset += length;
    }
    const file = await open(path, 'r+');
    if (offset < data.length) {
      if (!options.truncateTornTail) {
        await file.close();
        throw new MosyError(
          'internal',
          `segment ${path} is corrupt at byte ${offset} of ${data.length}; it is not the last segment, so this is not a torn write`,
        );
      }
      await file.truncate(offset);
      if (options.fsync) await file.sync();
    }
    return new Segment(base, path, file, positions, offset, now);
  }

  /** Appends frames (already concatenated in `data`) at the end and makes them durable before indexing them. */
  async append(data: Buffer, frameLengths: readonly number[], fsync: boolean): Promise<void> {
    let written = 0;
    try {
      while (written < data.length) {
        const { bytesWritten } = await this.file.write(
          data,
          written,
          data.length - written,
          this.bytes + written,
        );
        written += bytesWritten;
      }
      if (fsync) await this.file.datasync();
    } catch (error) {
      // Leave no partial frames behind a failed append: later appends would otherwise follow garbage.
      await this.file.truncate(this.bytes).catch(() => undefined);
      throw error;
    }
    let position = this.bytes;
    for (const length of frameLengths) {
      this.positions.push(position);
      position += length;
    }
    this.bytes = position;
  }

  /** Up to `max` frames from `offset` (which must be in this segment), as views into one buffer. */
  async read(offset: number, max: number): Promise<DecodedFrame[]> {
    const first = offset - this.base;
    const count = Math.min(max, this.positions.length - first);
    if (first < 0 || count <= 0) return [];
    const start = this.positions[first] ?? 0;
    const end = this.positions[first + count] ?? this.bytes;
    const buffer = Buffer.allocUnsafe(end - start);
    this.readers++;
    try {
      let read = 0;
      while (read < buffer.length) {
        const { bytesRead } = await this.file.read(buffer, read, buffer.length - read, start + read);
        if (bytesRead === 0) {
          throw new MosyError('internal', `segment ${this.path} ended early at byte ${start + read}`);
        }
        read += bytesRead;
      }
    } finally {
      this.readers--;
      if (this.readers === 0 && this.closing === undefined && this.deleted) this.closing = this.file.close();
    }
    const frames: DecodedFrame[] = [];
    let position = 0;
    for (let i = 0; i < count; i++) {
      const length = validFrameLength(buffer, position);
      if (length === 0) {
        throw new MosyError('internal', `segment ${this.path}: frame at offset ${offset + i} fails its CRC`);
      }
      frames.push(decodeFrame(buffer, position, length));
      position += length;
    }
    return frames;
  }

  /** Removes the file; an ongoing read finishes on the open handle. */
  async delete(): Promise<void> {
    this.deleted = true;
    await unlink(this.path);
    if (this.readers === 0) this.closing ??= this.file.close();
    await this.closing;
  }

  async close(): Promise<void> {
    this.closing ??= this.file.close();
    await this.closing;
  }
}
