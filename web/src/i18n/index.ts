/**
 * The language of the page: English or Portuguese, remembered in localStorage (the language only; nothing else of
 * the session is kept in the browser), with the locale used for numbers.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type Messages } from './en.js';
import { pt } from './pt.js';

export type Language = 'en' | 'pt';
export const LANGUAGES: readonly Language[] = ['en', 'pt'];
const MESSAGES: Record<Language, Messages> = { en, pt };
/** Number formatting per language. */
export const LOCALES: Record<Language, string> = { en: 'en-GB', pt: 'pt-PT' };
const STORAGE_KEY = 'mosy.language';

export interface I18n {
  readonly language: Language;
  readonly t: Messages;
  readonly formatNumber: (n: number) => string;
}

export function i18nFor(language: Language): I18n {
  const format = new Intl.NumberFormat(LOCALES[language]);
  return { language, t: MESSAGES[language], formatNumber: (n) => format.format(n) };
}

export function storedLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'pt') return stored;
  return navigator.language.toLowerCase().startsWith('pt') ? 'pt' : 'en';
}

export function storeLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
}

export const I18nContext = createContext<I18n>(i18nFor('en'));
export const useI18n = (): I18n => useContext(I18nContext);
