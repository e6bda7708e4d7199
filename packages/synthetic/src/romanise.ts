/**
 * How providers write Cyrillic and Greek names in Latin letters, for the linkage evaluation: a few romanisation
 * systems that really differ (Ukrainian national 2010, Russian passport style, German style for Cyrillic; ELOT 743
 * and a traditional style for Greek), applied letter by letter. Deliberately not the table the linkage core folds
 * with, so the evaluation measures how well the core copes with spellings it was not built from.
 */

export type RomanisationSystem = 'ukrainian' | 'russian' | 'german';

// prettier-ignore
const COMMON: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', д: 'd', е: 'e', з: 'z', і: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's',
  т: 't', у: 'u', ф: 'f', ь: '', ъ: '',
};

// prettier-ignore
const SYSTEMS: Readonly<Record<RomanisationSystem, Readonly<Record<string, string>>>> = {
  ukrainian: {
    в: 'v', г: 'h', ґ: 'g', ж: 'zh', и: 'y', й: 'i', х: 'kh', ц: 'ts', ч: 'ch',
    ш: 'sh', щ: 'shch', ю: 'iu', я: 'ia', є: 'ie', ї: 'i', ы: 'y', э: 'e', ё: 'e',
  },
  russian: {
    в: 'v', г: 'g', ґ: 'g', ж: 'zh', и: 'i', й: 'y', х: 'kh', ц: 'ts', ч: 'ch',
    ш: 'sh', щ: 'shch', ю: 'yu', я: 'ya', є: 'ye', ї: 'yi', ы: 'y', э: 'e', ё: 'yo',
  },
  german: {
    в: 'w', г: 'g', ґ: 'g', ж: 'sch', и: 'i', й: 'j', х: 'ch', ц: 'z', ч: 'tsch',
    ш: 'sch', щ: 'schtsch', ю: 'ju', я: 'ja', є: 'je', ї: 'ji', ы: 'y', э: 'e', ё: 'jo',
  },
};

// prettier-ignore
const GREEK_ELOT: Readonly<Record<string, string>> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
  ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};
const GREEK_TRADITIONAL: Readonly<Record<string, string>> = {
  ...GREEK_ELOT,
  η: 'e',
  υ: 'i',
  χ: 'h',
  β: 'b',
  δ: 'd',
};

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A Cyrillic name in Latin letters by one system. */
export function romaniseCyrillic(name: string, system: RomanisationSystem): string {
  const table = SYSTEMS[system];
  let out = '';
  for (const ch of name.toLowerCase()) out += table[ch] ?? COMMON[ch] ?? ch;
  return capitalise(out);
}

/** A Greek name in Latin letters, ELOT 743 or traditional. */
export function romaniseGreek(name: string, traditional: boolean): string {
  const table = traditional ? GREEK_TRADITIONAL : GREEK_ELOT;
  let out = '';
  // `ου` is `ou` in both systems: the one digraph they agree on.
  for (const ch of name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ου/g, 'ou'))
    out += table[ch] ?? ch;
  return capitalise(out);
}
