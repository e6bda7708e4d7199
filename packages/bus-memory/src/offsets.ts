/**
 * Committed consumer-group offsets of one topic: one small file per group (`<group>.offset`, the name
 * URI-encoded), updated atomically. The file has two 32-byte slots, each `u64 sequence | u64 offset | u32 crc32`;
 * a commit overwrites the older slot in place and fdatasyncs, and a reader takes the valid slot with the higher
 * sequence. A write torn by a crash spoils only the slot being written, so the file always reads as the previous
 * or the new offset. This replaces "write a temporary file, fsync, rename": same atomicity, but one write and one
 * data-only sync instead of five file-system calls and a journal commit, which halved a consumer's time per batch
 * (see the README).
 */
import { mkdir, open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from './frame.js';
import { syncDir } from './sync-dir.js';

const SUFFIX = '.offset';
const SLOT_BYTES = 32;
const CHECKED_BYTES = 16;

interface Slot {
  readonly sequence: bigint;
  readonly offset: number;
}

function parseSlot(data: Buffer, at: number): Slot | undefined {
  if (data.length < at + SLOT_BYTES) return undefined;
  if (crc32(data.subarray(at, at + CHECKED_BYTES)) !== data.readUInt32BE(at + CHECKED_BYTES))
    return undefined;
  const offset = data.readBigUInt64BE(at + 8);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { sequence: data.readBigUInt64BE(at), offset: Number(offset) };
}

/** The newer valid slot of an offset file's content, if any. */
export function readOffsetSlots(data: Buffer): Slot | undefined {
  const a = parseSlot(data, 0);
  const b = parseSlot(data, SLOT_BYTES);
  if (!a || !b) return a ?? b;
  return a.sequence > b.sequence ? a : b;
}

// Group names are free text; encoding keeps each one a single safe file name.
const fileNameOf = (group: string): string => `${encodeURIComponent(group)}${SUFFIX}`;

/** The group an offset file belongs to, or undefined for any other file. */
export const groupOfFileName = (name: string): string | undefined =>
  name.endsWith(SUFFIX) ? decodeURIComponent(name.slice(0, -SUFFIX.length)) : undefined;

interface GroupFile {
  readonly handle: FileHandle;
  sequence: bigint;
}

export class OffsetStore {
  private readonly files = new Map<string, GroupFile>();

  private constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
  ) {}

  /** Opens (creating) the directory and reads every group's committed offset. */
  static async open(
    dir: string,
    fsync: boolean,
  ): Promise<{ store: OffsetStore; offsets: Map<string, number> }> {
    await mkdir(dir, { recursive: true });
    const store = new OffsetStore(dir, fsync);
    const offsets = new Map<string, number>();
    for (const name of await readdir(dir)) {
      const group = groupOfFileName(name);
      if (group === undefined) continue;
      const handle = await open(join(dir, name), 'r+');
      const data = Buffer.alloc(2 * SLOT_BYTES);
      await handle.read(data, 0, data.length, 0);
      const slot = readOffsetSlots(data);
      store.files.set(group, { handle, sequence: slot?.sequence ?? 0n });
      // No valid slot: the group's first write was torn. It stays registered, from the start of the log: what is
      // retained is delivered again rather than skipped.
      offsets.set(group, slot?.offset ?? 0);
    }
    return { store, offsets };
  }

  /** Durably records `offset` as the next offset the group will read. */
  async commit(group: string, offset: number): Promise<void> {
    let file = this.files.get(group);
    if (!file) {
      const handle = await open(join(this.dir, fileNameOf(group)), 'w+');
      file = { handle, sequence: 0n };
      this.files.set(group, file);
      await handle.truncate(2 * SLOT_BYTES);
      if (this.fsync) await syncDir(this.dir);
    }
    const sequence = file.sequence + 1n;
    // A buffer per write: the write reads it later, on another thread.
    const slot = Buffer.alloc(SLOT_BYTES);
    slot.writeBigUInt64BE(sequence, 0);
    slot.writeBigUInt64BE(BigInt(offset), 8);
    slot.writeUInt32BE(crc32(slot.subarray(0, CHECKED_BYTES)), CHECKED_BYTES);
    await file.handle.write(slot, 0, SLOT_BYTES, Number(sequence % 2n) * SLOT_BYTES);
    if (this.fsync) await file.handle.datasync();
    file.sequence = sequence;
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.handle.close()));
    this.files.clear();
  }
}
