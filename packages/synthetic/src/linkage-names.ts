/**
 * Invented names for the linkage evaluation, with the frequency skew and the scripts real registers show. Family
 * names are built from syllables (Latin, Cyrillic or Greek; so no entry is a real person's name) into pools of
 * thousands, drawn with weights 1/(rank + c): the commonest family name is about 1 % of its group, as in European
 * registers. Latin given names come from a pool of 3000 built the same way; Slavic and Greek given names from short
 * lists of common names, as these are concentrated in reality. One person in seven has an East Slavic name held in
 * Cyrillic, one in thirty a Greek one; a provider writes those either in the original script or romanised by one of
 * a few systems (Ukrainian national, Russian passport, German-style), and for the Slavic given names possibly in the
 * Russian form of the Ukrainian name (`Олена` / `Елена` → `Olena`, `Elena`, `Yelena`).
 */
import type { Rng } from './prng.js';

const ONSETS = 'b|c|d|f|g|l|m|n|p|r|s|t|v|z|br|ch|cr|dr|gr|pr|st|tr|j|k|h'.split('|');
const VOWELS = 'a|e|i|o|u|a|e|i|o|ia|ei|ou'.split('|');
const CODAS = '|||n|r|s|l|m|t'.split('|');
const GIVEN_ENDINGS = 'a|ia|ina|el|o|an|ela|io|ette|ar'.split('|');
const FAMILY_ENDINGS = 'escu|ez|es|son|sen|ovic|ini|elli|eira|ado|ier|ou|ek|as|ani|ides'.split('|');

/** Names with the cumulative weights of their ranks, for drawing by rank weight. */
interface Pool {
  readonly names: readonly string[];
  readonly cumulative: Float64Array;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function syllable(rng: Rng): string {
  return `${rng.pick(ONSETS)}${rng.pick(VOWELS)}${rng.pick(CODAS)}`;
}

function pool(rng: Rng, size: number, make: () => string, offset: number): Pool {
  const names = new Set<string>();
  while (names.size < size) names.add(make());
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let rank = 0; rank < size; rank++) cumulative[rank] = sum += 1 / (rank + offset);
  return { names: rng.shuffle([...names]), cumulative };
}

function draw(rng: Rng, { names, cumulative }: Pool): string {
  const r = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return names[lo]!;
}

/** Ukrainian form, Russian form. */
const SLAVIC_GIVEN: readonly (readonly [string, string])[] = [
  ['Олена', 'Елена'],
  ['Тетяна', 'Татьяна'],
  ['Оксана', 'Оксана'],
  ['Юлія', 'Юлия'],
  ['Наталія', 'Наталья'],
  ['Ірина', 'Ирина'],
  ['Світлана', 'Светлана'],
  ['Дмитро', 'Дмитрий'],
  ['Олександр', 'Александр'],
  ['Сергій', 'Сергей'],
  ['Андрій', 'Андрей'],
  ['Олег', 'Олег'],
  ['Віктор', 'Виктор'],
  ['Анна', 'Анна'],
];
const SLAVIC_ONSETS = 'к|ш|б|т|м|л|г|р|с|п|д|з|в|ч|х|ж|ц|кр|бр|пр|гр|тр|ст|дм|хм'.split('|');
const SLAVIC_VOWELS = 'а|о|е|и|і|у|я|ю'.split('|');
const SLAVIC_CODAS = '||||л|н|р|в|ч|с|к|й'.split('|');
const SLAVIC_ENDINGS = 'енко|ук|чук|ов|ова|ський|ська|ич|як'.split('|');
const GREEK_GIVEN = 'Ελένη|Μαρία|Γιώργος|Δημήτρης|Νίκος|Κατερίνα|Σοφία|Γιάννης'.split('|');
const GREEK_ONSETS = 'π|κ|τ|μ|λ|ν|δ|γ|χ|σ|β|ρ|θ|στ|τρ|κρ|μπ|ντ|γκ'.split('|');
const GREEK_VOWELS = 'α|ο|ε|ι|η|ου|αι|υ'.split('|');
const GREEK_ENDINGS = 'όπουλος|ίδης|άκης|ίου|ίδου|άτος|ένης|ιάδης'.split('|');

/** A person's names in the script and form they were first registered in. */
export interface ReferenceName {
  readonly script: 'latin' | 'cyrillic' | 'greek';
  readonly given: readonly string[];
  /** For Cyrillic names: the Russian form of each given name, at the same index. */
  readonly givenVariants?: readonly string[];
  readonly family: readonly string[];
}

/** Draws reference names; the pools are built once from the generator's seed. */
export function createNameSource(rng: Rng): () => ReferenceName {
  const given = pool(
    rng,
    3000,
    () => capitalise(`${syllable(rng)}${rng.chance(0.5) ? syllable(rng) : ''}${rng.pick(GIVEN_ENDINGS)}`),
    5,
  );
  const family = pool(
    rng,
    30000,
    () =>
      capitalise(
        `${syllable(rng)}${syllable(rng)}${rng.chance(0.4) ? syllable(rng) : ''}${rng.pick(FAMILY_ENDINGS)}`,
      ),
    10,
  );
  const slavicSyllable = (): string =>
    `${rng.pick(SLAVIC_ONSETS)}${rng.pick(SLAVIC_VOWELS)}${rng.pick(SLAVIC_CODAS)}`;
  const slavicFamily = pool(
    rng,
    20000,
    () =>
      capitalise(
        `${slavicSyllable()}${slavicSyllable()}${rng.chance(0.3) ? slavicSyllable() : ''}${rng.pick(SLAVIC_ENDINGS)}`,
      ),
    10,
  );
  const greekFamily = pool(
    rng,
    5000,
    () =>
      capitalise(
        `${rng.pick(GREEK_ONSETS)}${rng.pick(GREEK_VOWELS)}${rng.pick(GREEK_ONSETS)}${rng.pick(GREEK_VOWELS)}${rng.pick(GREEK_ENDINGS)}`,
      ),
    10,
  );
  return () => {
    const r = rng.next();
    if (r < 1 / 7) {
      const pairs = Array.from({ length: rng.chance(0.15) ? 2 : 1 }, () => rng.pick(SLAVIC_GIVEN));
      return {
        script: 'cyrillic',
        given: pairs.map(([ua]) => ua),
        givenVariants: pairs.map(([, ru]) => ru),
        family: [draw(rng, slavicFamily)],
      };
    }
    if (r < 1 / 7 + 1 / 30)
      return {
        script: 'greek',
        given: [rng.pick(GREEK_GIVEN)],
        family: [draw(rng, greekFamily)],
      };
    return {
      script: 'latin',
      given: Array.from({ length: rng.chance(0.3) ? 2 : 1 }, () => draw(rng, given)),
      family: Array.from({ length: rng.chance(0.35) ? 2 : 1 }, () => draw(rng, family)),
    };
  };
}
