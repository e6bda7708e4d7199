import { describe, expect, it } from 'vitest';
import { CODE_LISTS } from '@mosy/core';
import { localizeCodeLists } from './code-labels.js';
import { en } from './i18n/en.js';
import { pt } from './i18n/pt.js';

const lists = {
  sex: { F: 'Female', M: 'Male', NEW: 'A code the language files do not know yet' },
  country: { DE: 'Germany', EL: 'Greece', XK: 'Kosovo', STLS: 'Stateless' },
  providerType: { NGO: 'Non-governmental organisation' },
};

describe('code labels in the page language', () => {
  it('labels codes in Portuguese, countries by Intl, and keeps the server label for an unknown code', () => {
    expect(localizeCodeLists(lists, 'pt', pt.taxonomy)).toEqual({
      sex: { F: 'Feminino', M: 'Masculino', NEW: 'A code the language files do not know yet' },
      country: { DE: 'Alemanha', EL: 'Grécia', XK: 'Kosovo', STLS: 'Stateless' },
      providerType: { NGO: 'Organização não governamental' },
    });
  });

  it('gives the server’s own English labels back in English', () => {
    const english = localizeCodeLists(lists, 'en', en.taxonomy);
    expect(english.sex).toEqual(lists.sex);
    expect(english.providerType).toEqual(lists.providerType);
    expect(english.country).toEqual(lists.country);
  });

  it('labels in English exactly the codes the server serves (GET /v1/taxonomy), with its labels', () => {
    // The code lists of the taxonomy route, but countries, which Intl names.
    expect(en.taxonomy).toEqual(CODE_LISTS);
  });

  it('has a Portuguese label for every English one', () => {
    for (const [list, codes] of Object.entries(en.taxonomy))
      expect(Object.keys((pt.taxonomy as Record<string, object>)[list] ?? {}), list).toEqual(
        Object.keys(codes),
      );
  });
});
