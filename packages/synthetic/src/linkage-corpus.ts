/**
 * A seeded corpus for evaluating record linkage: invented persons (linkage-names.ts) each reaching one to four of
 * six providers, every provider writing the identity with the errors real registers show, and the true person
 * behind every record. Per record, independently: a letter substituted (6 %), dropped (4 %) or doubled (4 %) in one
 * name token, given and family names swapped (15 %), day and month swapped (3 %, when both are ≤ 12), no date of
 * birth (6 %); names in Cyrillic or Greek written in the original script (30 %) or romanised by one of several
 * systems (romanise.ts), the Russian form of a Ukrainian given name (25 %); and each provider's own casing and date
 * format. Persons are distinct by (name, date of birth), as the exact pseudonym would need.
 */
import { dateOf } from './calendar.js';
import { createNameSource, type ReferenceName } from './linkage-names.js';
import { createRng, type Rng } from './prng.js';
import { romaniseCyrillic, romaniseGreek, type RomanisationSystem } from './romanise.js';

/** One provider's record of a person, with the truth behind it. */
export interface LinkageCorpusRecord {
  readonly providerId: string;
  readonly recordId: string;
  /** The true person; never given to the linkage under test. */
  readonly personId: string;
  readonly identity: Readonly<Record<string, string>>;
}

export interface LinkageCorpus {
  readonly records: readonly LinkageCorpusRecord[];
  /** Number of true persons. */
  readonly persons: number;
}

export interface LinkageCorpusOptions {
  readonly seed: number;
  /** Records to generate (the last person may be cut short). */
  readonly records: number;
}

const PROVIDERS = ['syn-police', 'syn-ngo', 'syn-shelter', 'syn-labour', 'syn-border', 'syn-health'];
const REACH = { one: 50, two: 30, three: 15, four: 5 } as const;
const REACH_COUNT = { one: 1, two: 2, three: 3, four: 4 } as const;
const SYSTEMS: readonly RomanisationSystem[] = ['ukrainian', 'russian', 'german'];
const LATIN_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const CYRILLIC_LETTERS = 'абвгдежзийклмнопрстуфхцчшщьюяіє';
const GREEK_LETTERS = 'αβγδεζηθικλμνξοπρστυφχψω';

/** The lower-case letters of the script a token is written in: a slip of the keyboard stays in its layout. */
const lettersOf = (token: string): string =>
  /\p{Script=Cyrillic}/u.test(token)
    ? CYRILLIC_LETTERS
    : /\p{Script=Greek}/u.test(token)
      ? GREEK_LETTERS
      : LATIN_LETTERS;

/** A person as first registered: reference names and a date of birth. */
interface Person {
  readonly name: ReferenceName;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Substitutes, drops or doubles one letter of one token (never emptying it). */
function corrupt(rng: Rng, tokens: string[], kind: 'substitute' | 'drop' | 'double'): void {
  const t = rng.int(0, tokens.length - 1);
  const token = tokens[t]!;
  const chars = [...token];
  if (chars.length < 3) return;
  // Not the first letter: an assumption of this generator, that the first letter is the one read most carefully.
  const at = rng.int(1, chars.length - 1);
  if (kind === 'substitute') chars[at] = rng.pick([...lettersOf(token)]);
  else if (kind === 'drop') chars.splice(at, 1);
  else chars.splice(at, 0, chars[at]!);
  tokens[t] = chars.join('');
}

/** The name tokens as one provider writes them this time. */
function writtenNames(rng: Rng, name: ReferenceName): { given: string[]; family: string[] } {
  if (name.script === 'latin') return { given: [...name.given], family: [...name.family] };
  const original = rng.chance(0.3);
  if (name.script === 'greek') {
    const traditional = rng.chance(0.5);
    const write = (s: string): string => (original ? s : romaniseGreek(s, traditional));
    return { given: name.given.map(write), family: name.family.map(write) };
  }
  const given = rng.chance(0.25) && name.givenVariants !== undefined ? name.givenVariants : name.given;
  const system = rng.pick(SYSTEMS);
  const write = (s: string): string => (original ? s : romaniseCyrillic(s, system));
  return { given: given.map(write), family: name.family.map(write) };
}

function writeRecord(rng: Rng, person: Person, upper: boolean, dmy: boolean): Record<string, string> {
  const { given, family } = writtenNames(rng, person.name);
  const all = [given, family];
  if (rng.chance(0.06)) corrupt(rng, rng.pick(all), 'substitute');
  if (rng.chance(0.04)) corrupt(rng, rng.pick(all), 'drop');
  if (rng.chance(0.04)) corrupt(rng, rng.pick(all), 'double');
  const [first, second] = rng.chance(0.15) ? [family, given] : [given, family];
  const style = (s: string): string => (upper ? s.toUpperCase() : s);
  const identity: Record<string, string> = {
    givenName: style(first.join(' ')),
    familyName: style(second.join(' ')),
  };
  if (rng.chance(0.06)) return identity;
  let { day, month } = person;
  if (day <= 12 && day !== month && rng.chance(0.03)) [day, month] = [month, day];
  const dd = String(day).padStart(2, '0');
  const mm = String(month).padStart(2, '0');
  identity.dateOfBirth = dmy ? `${dd}/${mm}/${person.year}` : `${person.year}-${mm}-${dd}`;
  return identity;
}

/** A seeded linkage corpus. */
export function generateLinkageCorpus({ seed, records: target }: LinkageCorpusOptions): LinkageCorpus {
  const rng = createRng(seed);
  const nameOf = createNameSource(rng.fork('names'));
  const draws = rng.fork('records');
  const styles = new Map(PROVIDERS.map((p, i) => [p, { upper: i % 2 === 0, dmy: i % 3 !== 0 }]));
  const taken = new Set<string>();
  const records: LinkageCorpusRecord[] = [];
  let persons = 0;
  while (records.length < target) {
    const name = nameOf();
    // Birth days from 1950 to 2010 (calendar day numbers count from 1970-01-01).
    const d = dateOf(draws.int(-7305, 14975));
    const key = `${[...name.given, ...name.family].join(' ').toLowerCase()}|${d.year}-${d.month}-${d.day}`;
    if (taken.has(key)) continue;
    taken.add(key);
    const person: Person = { name, year: d.year, month: d.month, day: d.day };
    const personId = `person-${persons}`;
    persons += 1;
    const providers = draws.shuffle(PROVIDERS).slice(0, REACH_COUNT[draws.weighted(REACH)]);
    for (const providerId of providers) {
      if (records.length === target) break;
      const { upper, dmy } = styles.get(providerId)!;
      records.push({
        providerId,
        recordId: `${providerId}-${records.length}`,
        personId,
        identity: writeRecord(draws, person, upper, dmy),
      });
    }
  }
  return { records: draws.shuffle(records), persons };
}
