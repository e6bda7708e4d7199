/**
 * Folding of name tokens to one Latin spelling before they are encoded for linkage, so that the same name written in
 * another script or romanised another way shares most of its bigrams: `Олена` → `olena`, `Тетяна` → `tetiana` =
 * `Tetyana`, `Ελένη` → `eleni`. Two steps, both small fixed tables documented here:
 *
 * 1. Script: Cyrillic (Ukrainian, Russian, Belarusian, Bulgarian, Serbian letters) and Greek letters map to Latin,
 *    close to the Ukrainian national romanisation (2010) and ELOT 743 for Greek, without their positional rules (a
 *    per-letter table, plus Greek `ου` → `u`, is enough: the encoding tolerates the rest as spelling noise).
 * 2. Spelling: a few Latin spellings that romanisation systems and clerks write differently are folded to one:
 *    `tsch` → `ch` and `sch` → `sh` (German-style romanisation), `kh` → `h`, `ph` → `f`, `x` → `ks`, `ck` → `k`,
 *    `ou` → `u`, `y` and `j` → `i`, `w` → `v`, `ł` → `l`, `ø` → `o`, `æ` → `ae`, and any doubled letter to one
 *    (`Ioanna` = `Ioana`, `Yuliia` = `Julia`).
 *
 * `Olena` and `Elena` (Ukrainian and Russian forms of one name) still differ in a letter; they keep 4 of 6 bigrams,
 * which the whole-identity score absorbs. Input tokens come from `nameTokens` (lower case, combining marks removed,
 * so `й` `ї` `ё` arrive as `и` `і` `е`).
 */

// prettier-ignore
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: 'ie', ж: 'zh', з: 'z', и: 'y', і: 'i', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh',
  щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'iu', я: 'ia', ў: 'u', ђ: 'dj', ј: 'j', љ: 'lj', њ: 'nj', ћ: 'c',
  џ: 'dz', ѕ: 'dz',
};

// prettier-ignore
const GREEK: Readonly<Record<string, string>> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
  ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

// prettier-ignore
const OTHER_LATIN: Readonly<Record<string, string>> = {
  ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

const SPELLINGS: readonly (readonly [RegExp, string])[] = [
  [/tsch/g, 'ch'],
  [/sch/g, 'sh'],
  [/kh/g, 'h'],
  [/ph/g, 'f'],
  [/x/g, 'ks'],
  [/ck/g, 'k'],
  [/ou/g, 'u'],
  [/[yj]/g, 'i'],
  [/w/g, 'v'],
  [/(.)\1+/g, '$1'],
];

/** One name token (as `nameTokens` gives it) folded to the Latin spelling the linkage encoding uses. */
export function foldNameToken(token: string): string {
  let latin = '';
  // Greek `ου` is one sound, `u`, in every romanisation.
  for (const ch of token.replace(/ου/g, 'u')) latin += CYRILLIC[ch] ?? GREEK[ch] ?? OTHER_LATIN[ch] ?? ch;
  for (const [pattern, replacement] of SPELLINGS) latin = latin.replace(pattern, replacement);
  return latin;
}
