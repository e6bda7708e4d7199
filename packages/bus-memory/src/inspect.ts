/**
 * A read-only look at a topic's log folder that another process may hold open (or that a killed process left):
 * where the log ends and where each consumer group has committed. Nothing is locked, created, truncated or
 * deleted, so looking does not change what a later open finds — which is what a crash test needs to learn the
 * backlog at the moment of a kill, and what an operator needs to look at a stopped runtime's folder.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validFrameLength } from './frame.js';
import { groupOfFileName, readOffsetSlots } from './offsets.js';
import { parseSegmentFileName, segmentFileName } from './segment.js';
import { OFFSETS_DIR, SEGMENTS_DIR } from './topic-log.js';

export interface LogSnapshot {
  /** The first offset still on disk. */
  readonly startOffset: number;
  /** The offset after the last complete frame (a torn tail is not counted). */
  readonly endOffset: number;
  /** Committed offset of each group that ever registered. */
  readonly committed: ReadonlyMap<string, number>;
}

const missingAsEmpty = (error: unknown): string[] => {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  throw error;
};

/** Reads the log of one topic in `dir` (the bus folder) as it is on disk now. */
export async function inspectLog(dir: string, topic: string): Promise<LogSnapshot> {
  const segmentsDir = join(dir, topic, SEGMENTS_DIR);
  const bases = (await readdir(segmentsDir).catch(missingAsEmpty))
    .map(parseSegmentFileName)
    .filter((base): base is number => base !== undefined)
    .sort((a, b) => a - b);
  const startOffset = bases[0] ?? 0;
  const last = bases[bases.length - 1];
  let endOffset = startOffset;
  if (last !== undefined) {
    const data = await readFile(join(segmentsDir, segmentFileName(last)));
    let frames = 0;
    for (let at = 0, length = validFrameLength(data, 0); length > 0; length = validFrameLength(data, at)) {
      at += length;
      frames++;
    }
    endOffset = last + frames;
  }
  const offsetsDir = join(dir, topic, OFFSETS_DIR);
  const committed = new Map<string, number>();
  for (const name of await readdir(offsetsDir).catch(missingAsEmpty)) {
    const group = groupOfFileName(name);
    if (group === undefined) continue;
    // No valid slot (a torn first write) reads as the start of the log, as the bus itself reads it.
    committed.set(group, readOffsetSlots(await readFile(join(offsetsDir, name)))?.offset ?? 0);
  }
  return { startOffset, endOffset, committed };
}
