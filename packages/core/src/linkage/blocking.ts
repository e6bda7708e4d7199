/**
 * Keyed blocking keys, so that linkage compares a record only with the few records sharing a key instead of with all
 * (sub-quadratic cost). Chosen over locality-sensitive hashing of the Bloom filters: on the 512 folded name bits the Hamming
 * LSH bands that keep recall of typo'd pairs high also let through a fixed share of all pairs, so its cost stays
 * quadratic; keys built from the identity's own parts give blocks whose size follows name frequency instead.
 *
 * Each token of the name is reduced to its consonant skeleton, Soundex-like: the folded token (transliterate.ts)
 * without vowels and without `h` and `g` (romanisations of Cyrillic `г` exchange them: `Oleh`/`Oleg`), the other
 * consonants by class (`b f p v`, `c k q s x z`, `d t`, `m n`, `l`, `r`), repeats collapsed. Vowel slips, doubled
 * letters, `Olena`/`Elena`, `Vyvaidou`/`Bibaidou` and many consonant slips keep the same skeleton.
 * Two passes, each a separate set of keys, so a record need share only one key with its match:
 * - token and date: one key per token skeleton with the year and the unordered day/month values (robust to typos in
 *   the other tokens, swapped names, a day/month swap);
 * - token pair: one key per unordered pair of token skeletons and the decade of birth (robust to a missing or wrong
 *   day, month or year within the decade, swapped names). A record without a date is filed under its pairs with no
 *   decade and probes every decade from 1900 to 2029; a record with a date probes its pairs with no decade too. The
 *   decade makes the blocks of common name pairs several times smaller than the pair alone would (six times in the
 *   evaluation corpus, born over six decades), and the asymmetric probing keeps records without a date reachable.
 * A pair is missed only when both passes fail (a consonant typo in a two-token name and a missing date, or a date
 * wrong in its year across a decade as well).
 *
 * Keys are HMAC-SHA256(blocking key, text) truncated to 32 bits, the blocking key derived from the deployment secret:
 * they reveal no name. What they do reveal to whoever holds many of them is block sizes, hence name frequencies of
 * the token-pair pass; they are therefore kept with the encodings inside the linkage index only, never exported.
 */
import { createHmac } from 'node:crypto';
import { assertSecret, type PseudonymSecret } from '../pseudonym/keys.js';
import type { IdentityFeatures } from './features.js';

/** At most this many token skeletons of a name are used for keys (pairs grow quadratically with them). */
const MAX_TOKENS = 5;

/** Consonant classes of the skeleton, Soundex-like: letters often exchanged in spelling share a class. */
const CLASSES: readonly (readonly [RegExp, string])[] = [
  [/[aeiouhg]/g, ''],
  [/[bfpv]/g, 'b'],
  [/[ckqsxz]/g, 'k'],
  [/[dt]/g, 'd'],
  [/[mn]/g, 'n'],
];

/** The consonant skeleton of a folded token; the token itself when it has none. */
export function skeletonOf(token: string): string {
  let skeleton = token;
  for (const [pattern, replacement] of CLASSES) skeleton = skeleton.replace(pattern, replacement);
  skeleton = skeleton.replace(/(.)\1+/g, '$1');
  return skeleton === '' ? token : skeleton;
}

/** Decades of birth a record without a date probes its name pairs under: births 1900–2029. */
const DECADES = Array.from({ length: 13 }, (_, i) => String(190 + i));

/** Blocking key texts of identity features (before keyed hashing): those it is filed under, and those it probes. */
export interface BlockingTexts {
  readonly insert: readonly string[];
  readonly probe: readonly string[];
}

/** The blocking key texts of identity features. */
export function blockingTexts(features: IdentityFeatures): BlockingTexts {
  const skeletons = [...new Set(features.tokens.map(skeletonOf))].sort().slice(0, MAX_TOKENS);
  const pairs: string[] = [];
  for (let i = 0; i < skeletons.length; i++)
    for (let j = i + 1; j < skeletons.length; j++) pairs.push(`p|${skeletons[i]!}|${skeletons[j]!}`);
  // A one-token name has no pair: its skeleton alone stands in, so a record without a date still gets a key.
  if (skeletons.length === 1) pairs.push(`p|${skeletons[0]!}`);
  const dob = features.dateOfBirth;
  if (dob === undefined) {
    const insert = pairs.map((pair) => `${pair}|-`);
    return { insert, probe: [...insert, ...pairs.flatMap((pair) => DECADES.map((d) => `${pair}|${d}`))] };
  }
  const insert = [
    ...skeletons.map((s) => `t|${s}|${dob.year}|${dob.dayMonthValues.join('-')}`),
    ...pairs.map((pair) => `${pair}|${dob.decade}`),
  ];
  return { insert, probe: [...insert, ...pairs.map((pair) => `${pair}|-`)] };
}

/** Keyed 32-bit blocking keys from key texts. @throws MosyError when the secret is shorter than 32 bytes. */
export function createBlockingKeyer(secret: PseudonymSecret): (texts: readonly string[]) => Uint32Array {
  assertSecret(secret);
  const key = createHmac('sha256', secret).update('mosy-linkage/1|blocking').digest();
  return (texts) =>
    Uint32Array.from(texts, (text) =>
      createHmac('sha256', key).update(text, 'utf8').digest().readUInt32BE(0),
    );
}
