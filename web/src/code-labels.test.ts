import { describe, expect, it } from 'vitest';
import {
  AGE_CLASSES,
  AGE_GROUPS,
  EXPLOITATION,
  LABOUR_SECTORS,
  MEANS_OF_CONTROL,
  PROSECUTION_OUTCOMES,
  PROVIDER_TYPES,
  RECORD_KINDS,
  RECRUITER_RELATIONSHIP,
  SEX,
  VICTIM_STATUS,
  YES_NO,
} from '@mosy/core';
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
    // The code lists of the taxonomy route (report-api's app.ts), but countries, which Intl names.
    expect(en.taxonomy).toEqual({
      kind: RECORD_KINDS,
      sex: SEX,
      ageGroup: AGE_GROUPS,
      ageClass: AGE_CLASSES,
      exploitation: EXPLOITATION,
      status: VICTIM_STATUS,
      yesNo: YES_NO,
      meansOfControl: MEANS_OF_CONTROL,
      recruiterRelationship: RECRUITER_RELATIONSHIP,
      labourSector: LABOUR_SECTORS,
      outcome: PROSECUTION_OUTCOMES,
      providerType: PROVIDER_TYPES,
    });
  });

  it('has a Portuguese label for every English one', () => {
    for (const [list, codes] of Object.entries(en.taxonomy))
      expect(Object.keys((pt.taxonomy as Record<string, object>)[list] ?? {}), list).toEqual(
        Object.keys(codes),
      );
  });
});
