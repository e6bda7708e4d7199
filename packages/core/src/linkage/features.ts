/**
 * What the linkage encoding is built from, before any hashing: the folded name tokens of an identity (pooled from
 * every name field and deduplicated, so given and family names swapped or split differently give the same set), the
 * padded bigrams of those tokens, and the date of birth cut into parts that survive the common errors — the year,
 * its decade (a year typo keeps it), the day and month values as an unordered pair (a day/month swap keeps both),
 * and the ordered day-month (which the swap loses). A missing or invalid date of birth gives no date features: the
 * name alone then carries the similarity, and the Dice coefficient is read over fewer bits.
 */
import { normalizeIdentity } from '../pseudonym/identity.js';
import { foldNameToken } from './transliterate.js';

/** The parts of an identity the encoding hashes. */
export interface IdentityFeatures {
  /** Folded name tokens, sorted and deduplicated. */
  readonly tokens: readonly string[];
  /** Padded bigrams of the tokens, deduplicated (`ana` → `_a`, `an`, `na`, `a_`). */
  readonly bigrams: readonly string[];
  /** The date of birth parts, absent when no valid date of birth was given. */
  readonly dateOfBirth?: DateOfBirthParts;
}

export interface DateOfBirthParts {
  /** `YYYY`. */
  readonly year: string;
  /** `YYY`, the decade. */
  readonly decade: string;
  /** Day and month values (`DD`), sorted: the same whichever is the day. */
  readonly dayMonthValues: readonly [string, string];
  /** `MM-DD`, ordered. */
  readonly monthDay: string;
}

/** Padded bigrams of one token. */
export function bigramsOf(token: string): string[] {
  const padded = `_${token}_`;
  const out: string[] = [];
  for (let i = 0; i + 2 <= padded.length; i++) out.push(padded.slice(i, i + 2));
  return out;
}

/** The features of an identity, or undefined when it has no name token (nothing to link on). */
export function identityFeatures(identity: Readonly<Record<string, string>>): IdentityFeatures | undefined {
  const normalized = normalizeIdentity(identity);
  const tokens = [...new Set(normalized.nameTokens.map(foldNameToken).filter((t) => t !== ''))].sort();
  if (tokens.length === 0) return undefined;
  const bigrams = [...new Set(tokens.flatMap(bigramsOf))];
  const dob = normalized.dateOfBirth;
  if (dob === undefined) return { tokens, bigrams };
  const [year, month, day] = dob.split('-') as [string, string, string];
  const [low, high] = month < day ? [month, day] : [day, month];
  return {
    tokens,
    bigrams,
    dateOfBirth: { year, decade: year.slice(0, 3), dayMonthValues: [low, high], monthDay: `${month}-${day}` },
  };
}
