/**
 * What the normalizer hands to the linker, and how an encoding is written down for the linker's own table and the
 * `linkage` topic. A message says, for one version of one record, either "link this encoding" or "unlink" (a
 * withdrawal, or a version whose identity gives no name to encode). It never carries the identity, and it goes
 * only to the linker: not into the records topic or table, not to the hub, not into an export.
 */
import { MosyError } from '../errors.js';
import type { RecordAction } from '../records.js';
import type { LinkageEncoder, LinkageEncoding } from './encoder.js';
import { ENCODING_WORDS } from './encoding.js';

export interface LinkageMessage {
  readonly providerId: string;
  readonly recordId: string;
  /** The record's version; the linker ignores a version not higher than the one it holds (replays, late ones). */
  readonly version: number;
  /** The encoding to link; absent to unlink the record (its stored encoding is deleted). */
  readonly encoding?: LinkageEncoding;
}

/** The linkage message of a normalized record version: its identity's encoding, or an unlink. */
export function linkageMessageOf(
  encoder: LinkageEncoder,
  record: {
    readonly recordId: string;
    readonly version: number;
    readonly action: RecordAction;
    readonly identity?: Readonly<Record<string, string>> | null;
  },
  providerId: string,
): LinkageMessage {
  const identity = record.identity ?? undefined;
  const encoding =
    record.action === 'upsert' && identity !== undefined ? encoder.encode(identity) : undefined;
  return {
    providerId,
    recordId: record.recordId,
    version: record.version,
    ...(encoding === undefined ? {} : { encoding }),
  };
}

/**
 * An encoding as bytes: the filter words, then the number of block keys, the block keys, the probe keys, all 32-bit
 * big-endian. For the linker's table and the `linkage` topic only.
 */
export function encodingToBytes(encoding: LinkageEncoding): Uint8Array {
  const words = [...encoding.bits, encoding.blockKeys.length, ...encoding.blockKeys, ...encoding.probeKeys];
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0));
  return bytes;
}

/** The encoding `encodingToBytes` wrote. @throws MosyError `internal` when the bytes are not one. */
export function encodingFromBytes(bytes: Uint8Array): LinkageEncoding {
  const fail = (): never => {
    throw new MosyError('internal', 'stored linkage encoding is malformed');
  };
  if (bytes.length % 4 !== 0 || bytes.length < (ENCODING_WORDS + 1) * 4) fail();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4);
  const blocks = words[ENCODING_WORDS]!;
  const probeStart = ENCODING_WORDS + 1 + blocks;
  if (probeStart > words.length) fail();
  return {
    bits: words.slice(0, ENCODING_WORDS),
    blockKeys: words.slice(ENCODING_WORDS + 1, probeStart),
    probeKeys: words.slice(probeStart),
  };
}
