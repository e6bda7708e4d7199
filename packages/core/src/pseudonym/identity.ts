/**
 * Normalisation of the identity a provider may send with a record, so that the same person written a little
 * differently by two providers yields the same pseudonym. Names: case folded (`STRASSE` = `Straße`), Unicode
 * compatibility decomposition (NFKD: as NFD for ordinary letters, and fullwidth and ligature forms fold too) with the
 * combining marks removed (`José` = `Jose`), apostrophes and
 * dots removed (`O'Brien` = `OBrien`, `J.` = `J`), every other run of spaces or punctuation a token break
 * (`Jean-Pierre` = `Jean Pierre`); the tokens of givenName, familyName, name and fullName are pooled, deduplicated
 * and sorted, so order and which field holds which part do not matter (`Silva, Ana` = `Ana Silva`). Dates of birth:
 * `YYYY-MM-DD`, `YYYYMMDD`, and day-first `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY` (European order; `MM/DD/YYYY` is
 * not recognised), checked to be a real date.
 *
 * Not matched, by design: spelling variants and typos (`Ana Sliva` is another person), transliterations (`Yuri` /
 * `Iouri`), letters without a decomposition (`ø`, `ł` stay as they are: `Łukasz` ≠ `Lukasz`), a changed family name, and any date
 * of birth that differs. Document numbers and other identifiers are not used at all: they change with renewals and
 * differ between the documents a person holds.
 */

/** The identity fields whose words make up a person's name tokens. */
export const NAME_FIELDS = ['givenName', 'familyName', 'name', 'fullName'] as const;

/** A normalised identity: what the pseudonym is computed from. */
export interface NormalizedIdentity {
  /** Sorted, deduplicated name tokens (lower case, no accents). */
  readonly nameTokens: readonly string[];
  /** `YYYY-MM-DD`, when a valid date of birth was given. */
  readonly dateOfBirth?: string;
}

const APOSTROPHES_AND_DOTS = /['’‘ʼ`´.]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/u;
const COMBINING_MARKS = /\p{M}/gu;

/** The name tokens of a string: case-folded, decomposed, marks removed, split on anything but letters and digits. */
export function nameTokens(s: string): readonly string[] {
  return (
    s
      // Upper then lower case folds what lower case alone does not: `ß` and `SS` both become `ss`.
      .toUpperCase()
      .toLowerCase()
      .normalize('NFKD')
      .replace(COMBINING_MARKS, '')
      .replace(APOSTROPHES_AND_DOTS, '')
      .split(NOT_LETTER_OR_DIGIT)
      .filter((token) => token !== '')
  );
}

const DATE_FORMATS: readonly { readonly pattern: RegExp; readonly order: 'ymd' | 'dmy' }[] = [
  { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, order: 'ymd' },
  { pattern: /^(\d{4})(\d{2})(\d{2})$/, order: 'ymd' },
  { pattern: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/, order: 'dmy' },
];

/** A date of birth as `YYYY-MM-DD`, or undefined when it is not a real date in a recognised format. */
export function normalizeDateOfBirth(s: string): string | undefined {
  const text = s.trim();
  for (const { pattern, order } of DATE_FORMATS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const [a, b, c] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const [year, month, day] = order === 'ymd' ? [a, b, c] : [c, b, a];
    const date = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC rolls 31 February over into March: a real date survives the round trip unchanged.
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
      return undefined;
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return undefined;
}

/** Normalises a submitted identity; fields other than the name fields and `dateOfBirth` are ignored. */
export function normalizeIdentity(identity: Readonly<Record<string, string>>): NormalizedIdentity {
  const tokens = new Set<string>();
  for (const field of NAME_FIELDS) {
    const value = identity[field];
    if (typeof value === 'string') for (const token of nameTokens(value)) tokens.add(token);
  }
  const dob =
    typeof identity.dateOfBirth === 'string' ? normalizeDateOfBirth(identity.dateOfBirth) : undefined;
  return { nameTokens: [...tokens].sort(), ...(dob === undefined ? {} : { dateOfBirth: dob }) };
}
