/**
 * The one entry point that turns a submitted identity into what linkage keeps: the 512-bit keyed Bloom-filter
 * encoding (encoding.ts) and the keyed blocking keys (blocking.ts). Deterministic given the secret; the identity
 * itself is not kept. Meant to run where the identity is still at hand (where the exact pseudonym is derived today).
 */
import type { PseudonymSecret } from '../pseudonym/keys.js';
import { blockingTexts, createBlockingKeyer } from './blocking.js';
import { createFeatureHasher, encodeFeatures } from './encoding.js';
import { identityFeatures } from './features.js';

/** What linkage keeps of an identity. */
export interface LinkageEncoding {
  /** The XOR-folded keyed Bloom filter, `ENCODING_WORDS` words. */
  readonly bits: Uint32Array;
  /** Keyed 32-bit blocking keys the record is filed under. */
  readonly blockKeys: Uint32Array;
  /** Keyed 32-bit blocking keys the record looks under for candidates: its own and a few more (blocking.ts). */
  readonly probeKeys: Uint32Array;
}

export interface LinkageEncoder {
  /** The encoding of an identity, or undefined when it has no name token (such a record cannot be linked). */
  encode(identity: Readonly<Record<string, string>>): LinkageEncoding | undefined;
}

/** An encoder keyed with the deployment secret. @throws MosyError when the secret is shorter than 32 bytes. */
export function createLinkageEncoder(secret: PseudonymSecret): LinkageEncoder {
  const hasher = createFeatureHasher(secret);
  const keyer = createBlockingKeyer(secret);
  return {
    encode(identity) {
      const features = identityFeatures(identity);
      if (features === undefined) return undefined;
      const texts = blockingTexts(features);
      return {
        bits: encodeFeatures(hasher, features),
        blockKeys: keyer(texts.insert),
        probeKeys: keyer(texts.probe),
      };
    },
  };
}
