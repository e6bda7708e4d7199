/**
 * The keyed Bloom-filter encoding of an identity for privacy-preserving record linkage (PPRL): a cryptographic
 * long-term key (CLK, Schnell, Bachteler and Reiher 2009, BMC Medical Informatics and Decision Making 9:41; the
 * scheme of CSIRO Data61's clkhash) that lets two spellings of one person be compared without the identity.
 *
 * Each feature (identity features, features.ts) sets `k` bits of a filter; the positions are 16-bit words of
 * HMAC-SHA256(field key, feature) modulo the filter size, and each field (name bigrams, year, decade, day/month
 * values, month-day) has its own key, HMAC(deployment secret, `mosy-linkage/1|field|<name>`), and its own `k`. Name
 * bigrams go to a 1024-bit filter, date parts to a 256-bit one (field-level filters rather than one record-level
 * filter: a missing date of birth then leaves the name part comparable as it is, instead of diluting one Dice
 * coefficient, and similarity.ts weighs the two parts). Each filter is XOR-folded once, to 512 and 128 bits; the
 * 640 bits are the encoding kept and compared.
 *
 * Hardening, against the published attacks on Bloom-filter PPRL:
 * - Keyed hashing with the deployment secret (not a public hash): the dictionary attack — encode every likely name
 *   and compare — needs the secret (Niedermeyer, Steinmetzer, Kroll and Schnell 2014, J. Privacy and
 *   Confidentiality 6(2)). Independent positions from one HMAC per feature, not double hashing, whose
 *   regular position patterns Kroll and Steinmetzer (2015) exploited.
 * - Per-field keys: the same string as a bigram and as a date part sets unrelated bits, so bits cannot be attributed
 *   across fields.
 * - XOR-folding (Schnell, Borgs and Encarnação 2016, "XOR-folding for Bloom filter-based encryptions for PPRL";
 *   studied further with other hardenings by Ranbaduge and Schnell 2020, CIKM): each kept bit is the XOR of two
 *   filter bits, so no kept bit corresponds to one q-gram. The frequency and pattern-mining attacks that do
 *   not need the key (Christen, Schnell, Vatsalan and Ranbaduge 2017, PAKDD; Christen, Ranbaduge, Vatsalan and
 *   Schnell 2019, IEEE TKDE; Vidanage, Ranbaduge, Christen and Schnell 2019, ICDE) align frequent bit patterns
 *   with frequent q-grams; folding breaks that alignment at a small cost in precision, which the evaluation
 *   measures (docs/linkage.md). Balanced filters (Schnell 2016, concatenating the filter and its complement and
 *   permuting) were the alternative: they hide frequencies by a constant Hamming weight but double the size and
 *   leave each bit still tied to q-grams; folding halves the size instead.
 * Residual risk, stated: an encoding is a pseudonym of a person within a deployment (it is stable given the
 * secret), and anyone holding the secret can mount a dictionary attack, exactly as with the exact pseudonym.
 */
import { createHmac } from 'node:crypto';
import { assertSecret, type PseudonymSecret } from '../pseudonym/keys.js';
import type { IdentityFeatures } from './features.js';

/** Bits of the name filter before folding. */
export const NAME_FILTER_BITS = 1024;
/** Bits of the date-of-birth filter before folding. */
export const DOB_FILTER_BITS = 256;
/** 32-bit words of the folded name part, which comes first in an encoding. */
export const NAME_WORDS = NAME_FILTER_BITS / 64;
/** 32-bit words of the folded date-of-birth part, after the name part. */
export const DOB_WORDS = DOB_FILTER_BITS / 64;
/** 32-bit words of an encoding (640 bits). */
export const ENCODING_WORDS = NAME_WORDS + DOB_WORDS;

/** A field of the encoding: its key label, its filter, and how many bits each of its features sets (at most 16). */
interface FieldSpec {
  readonly label: string;
  readonly filter: 'name' | 'dob';
  readonly k: number;
}

const FIELDS = {
  bigram: { label: 'name-bigram', filter: 'name', k: 8 },
  year: { label: 'dob-year', filter: 'dob', k: 12 },
  decade: { label: 'dob-decade', filter: 'dob', k: 6 },
  dayMonthValue: { label: 'dob-day-month-value', filter: 'dob', k: 8 },
  monthDay: { label: 'dob-month-day', filter: 'dob', k: 8 },
} as const satisfies Readonly<Record<string, FieldSpec>>;

/** A field of the encoding, each with its own key. */
export type EncodingField = keyof typeof FIELDS;

/** Keyed hashing of features into filter positions, with a memo: names and dates repeat, their bigrams more so. */
export interface FeatureHasher {
  /** The filter positions of one feature of one field. */
  positions(field: EncodingField, feature: string): Uint16Array;
}

/** Most memoised features kept; beyond it the memo is cleared (bigrams and date parts are a small universe). */
const MEMO_LIMIT = 200_000;

/** A hasher keyed with the deployment secret. @throws MosyError when the secret is shorter than 32 bytes. */
export function createFeatureHasher(secret: PseudonymSecret): FeatureHasher {
  assertSecret(secret);
  const keys = new Map<EncodingField, Buffer>();
  for (const [field, spec] of Object.entries(FIELDS) as [EncodingField, FieldSpec][])
    keys.set(field, createHmac('sha256', secret).update(`mosy-linkage/1|field|${spec.label}`).digest());
  const memo = new Map<string, Uint16Array>();
  return {
    positions(field, feature) {
      const memoKey = `${field}|${feature}`;
      const known = memo.get(memoKey);
      if (known !== undefined) return known;
      const digest = createHmac('sha256', keys.get(field)!).update(feature, 'utf8').digest();
      const spec: FieldSpec = FIELDS[field];
      const size = spec.filter === 'name' ? NAME_FILTER_BITS : DOB_FILTER_BITS;
      const out = new Uint16Array(spec.k);
      // Filter sizes divide 65536, so each 16-bit word modulo the size is uniform.
      for (let i = 0; i < out.length; i++) out[i] = digest.readUInt16BE(2 * i) % size;
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(memoKey, out);
      return out;
    },
  };
}

/** XOR-folds `filter` in half into `out` from `offset`. */
function foldInto(filter: Uint32Array, out: Uint32Array, offset: number): void {
  const half = filter.length / 2;
  for (let i = 0; i < half; i++) out[offset + i] = filter[i]! ^ filter[i + half]!;
}

/**
 * The encoding of identity features: the folded name filter (`NAME_WORDS` words) then the folded date-of-birth
 * filter (`DOB_WORDS` words, all zero when the date of birth is missing).
 */
export function encodeFeatures(hasher: FeatureHasher, features: IdentityFeatures): Uint32Array {
  const name = new Uint32Array(NAME_FILTER_BITS / 32);
  const dob = new Uint32Array(DOB_FILTER_BITS / 32);
  const set = (filter: Uint32Array, field: EncodingField, feature: string): void => {
    for (const position of hasher.positions(field, feature)) filter[position >>> 5]! |= 1 << (position & 31);
  };
  for (const bigram of features.bigrams) set(name, 'bigram', bigram);
  const parts = features.dateOfBirth;
  if (parts !== undefined) {
    set(dob, 'year', parts.year);
    set(dob, 'decade', parts.decade);
    for (const value of parts.dayMonthValues) set(dob, 'dayMonthValue', value);
    set(dob, 'monthDay', parts.monthDay);
  }
  const out = new Uint32Array(ENCODING_WORDS);
  foldInto(name, out, 0);
  foldInto(dob, out, NAME_WORDS);
  return out;
}
