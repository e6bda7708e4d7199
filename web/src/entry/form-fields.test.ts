import { describe, expect, it } from 'vitest';
import { entryFields, fieldsOf } from './form-fields.js';

const CODES = {
  sex: { F: 'Female', M: 'Male', X: 'Other', UNK: 'Unknown' },
  yesNo: { Y: 'Yes', N: 'No', UNK: 'Unknown' },
  country: { PT: 'Portugal', BR: 'Brazil', UNK: 'Unknown' },
};

const MAPPING = {
  format: 'mosy-mapping/1',
  fields: {
    sex: { from: 'gender', values: { female: 'F', male: 'M' } },
    ageGroup: { from: 'birthYear', transform: 'birthYear' },
    citizenship: { from: ['nationalities', 'nat'], split: ';' },
    exploitation: { flags: { exp_sex: 'SEX', exp_lab: 'LAB' }, truthy: ['yes', '1'] },
    regionOfIdentification: { const: 'PT' },
    assistance: { from: 'support', values: { sim: 'Y' }, passthrough: true },
  },
  kinds: { victim: { status: { from: 'estado', values: { identificada: 'IDENTIFIED' } } } },
  drop: ['notes'],
};

describe('the data-entry form of a mapping', () => {
  const fields = entryFields(MAPPING, CODES);
  const byField = Object.fromEntries(fields.map((f) => [f.canonical, f]));

  it('offers the provider’s own words, flags, numbers, fixed values and passed-through codes', () => {
    expect(byField.status).toEqual({
      type: 'choice',
      canonical: 'status',
      source: 'estado',
      multiple: false,
      options: [{ value: 'identificada', label: 'identificada' }],
    });
    expect(byField.sex).toMatchObject({
      type: 'choice',
      source: 'gender',
      options: [{ value: 'female' }, { value: 'male' }],
    });
    expect(byField.ageGroup).toEqual({
      type: 'number',
      canonical: 'ageGroup',
      source: 'birthYear',
      transform: 'birthYear',
    });
    expect(byField.citizenship).toMatchObject({
      type: 'choice',
      source: 'nationalities',
      multiple: true,
      options: [
        { value: 'PT', label: 'Portugal (PT)' },
        { value: 'BR', label: 'Brazil (BR)' },
      ],
    });
    expect(byField.exploitation).toEqual({
      type: 'flags',
      canonical: 'exploitation',
      truthy: 'yes',
      flags: [
        { source: 'exp_sex', code: 'SEX' },
        { source: 'exp_lab', code: 'LAB' },
      ],
    });
    expect(byField.regionOfIdentification).toEqual({
      type: 'fixed',
      canonical: 'regionOfIdentification',
      value: '"PT"',
    });
    // A table with passthrough offers its words and the codes it does not already cover.
    expect(byField.assistance).toMatchObject({
      options: [{ value: 'sim' }, { value: 'Y' }, { value: 'N' }],
    });
    // No rule: the field of its own name, free text where the taxonomy has no code list.
    expect(byField.regionOfExploitation).toEqual({
      type: 'text',
      canonical: 'regionOfExploitation',
      source: 'regionOfExploitation',
      multiple: false,
    });
    expect(fields.some((f) => 'source' in f && f.source === 'notes')).toBe(false);
  });

  it('builds the record’s fields from the form, leaving empty entries out', () => {
    const form: Record<string, string[]> = {
      estado: ['identificada'],
      gender: [''],
      birthYear: ['1990'],
      nationalities: ['PT', 'BR'],
      exp_lab: ['yes'],
      regionOfExploitation: [' PT11 '],
    };
    expect(fieldsOf(fields, (name) => form[name] ?? [])).toEqual({
      estado: 'identificada',
      birthYear: 1990,
      nationalities: ['PT', 'BR'],
      exp_lab: 'yes',
      regionOfExploitation: 'PT11',
    });
  });
});
