/**
 * The taxonomy's code lists (`GET /v1/taxonomy`, labelled in English by the server) in the page's language: the
 * labels of `taxonomy` in the language file, and country names from the browser's own `Intl.DisplayNames` (no data
 * file) except in English, where the server's names stay (the same as in its downloads). A code the language file
 * does not know yet keeps the server's label.
 */
import { useMemo } from 'preact/hooks';
import type { Messages } from './i18n/en.js';
import { LOCALES, useI18n, type Language } from './i18n/index.js';

export type CodeLists = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Codes where the taxonomy departs from ISO 3166-1: Greece and the United Kingdom as Eurostat spells them. */
const ISO_REGION: Readonly<Record<string, string>> = { EL: 'GR', UK: 'GB' };

function countryNames(language: Language): (code: string) => string | undefined {
  const names = new Intl.DisplayNames([LOCALES[language]], { type: 'region', fallback: 'none' });
  return (code) => {
    try {
      return names.of(ISO_REGION[code] ?? code);
    } catch {
      // Not a region code Intl knows the shape of (e.g. `STLS`): the server's label stays.
      return undefined;
    }
  };
}

export function localizeCodeLists(
  lists: CodeLists,
  language: Language,
  labels: Messages['taxonomy'],
): CodeLists {
  const country = countryNames(language);
  const own = labels as Readonly<Record<string, Readonly<Record<string, string>> | undefined>>;
  return Object.fromEntries(
    Object.entries(lists).map(([list, codes]) => [
      list,
      Object.fromEntries(
        Object.entries(codes).map(([code, label]) => [
          code,
          (list !== 'country' ? own[list]?.[code] : language === 'en' ? label : country(code)) ?? label,
        ]),
      ),
    ]),
  );
}

/** `lists` in the page's language, recomputed when the language changes. */
export function useLocalizedCodeLists<T extends CodeLists | undefined>(lists: T): T {
  const { language, t } = useI18n();
  return useMemo(
    () => (lists === undefined ? lists : (localizeCodeLists(lists, language, t.taxonomy) as T)),
    [lists, language, t],
  );
}
