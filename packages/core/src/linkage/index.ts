/**
 * Privacy-preserving record linkage: keyed Bloom-filter encodings of identities, their Dice similarity, keyed
 * blocking, and the incremental index that groups encodings into persons without chaining.
 */
export { blockingTexts, createBlockingKeyer, skeletonOf } from './blocking.js';
export type { BlockingTexts } from './blocking.js';
export { createLinkageEncoder } from './encoder.js';
export type { LinkageEncoder, LinkageEncoding } from './encoder.js';
export {
  DOB_FILTER_BITS,
  DOB_WORDS,
  ENCODING_WORDS,
  NAME_FILTER_BITS,
  NAME_WORDS,
  createFeatureHasher,
  encodeFeatures,
} from './encoding.js';
export type { EncodingField, FeatureHasher } from './encoding.js';
export { bigramsOf, identityFeatures } from './features.js';
export type { DateOfBirthParts, IdentityFeatures } from './features.js';
export { DEFAULT_LINKAGE_OPTIONS, createLinkageIndex } from './linkage-index.js';
export type { LinkageIndex, LinkageMatch, LinkageOptions, LinkageOutcome } from './linkage-index.js';
export { createLinker } from './linker.js';
export type { LinkRef, LinkResult, Linker, PersonRevision } from './linker.js';
export { encodingFromBytes, encodingToBytes, linkageMessageOf } from './message.js';
export type { LinkageMessage } from './message.js';
export { linkQuality } from './pair-metrics.js';
export { linkageScore, partCounts, scoreAt } from './score.js';
export type { LinkQuality } from './pair-metrics.js';
export { dice, diceAt, popcount, popcount32 } from './similarity.js';
export { foldNameToken } from './transliterate.js';
