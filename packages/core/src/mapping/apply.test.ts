import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SubmittedRecord, RawValue } from '../records.js';
import { RECORD_KINDS, type RecordKind } from '../taxonomy/codes.js';
import { CANONICAL_FIELDS, FIELDS, fieldValueProblem, isListField } from '../taxonomy/fields.js';
import { applyMapping } from './apply.js';
import type { MappingDocument } from './format.js';
import { parseMapping } from './parse.js';

const record = (fields: Record<string, RawValue>, kind: RecordKind = 'victim'): SubmittedRecord => ({
  recordId: 'r1',
  version: 1,
  action: 'upsert',
  kind,
  referenceDate: '2026-03-14',
  fields,
});
const map = (mapping: Omit<MappingDocument, 'format'>, fields: Record<string, RawValue>, kind?: RecordKind) =>
  applyMapping(parseMapping({ format: 'mosy-mapping/1', ...mapping }), record(fields, kind), {
    referenceYear: 2026,
  });

const ALL_UNKNOWN_VICTIM = {
  status: 'UNK',
  sex: 'UNK',
  ageGroup: 'UNK',
  citizenship: ['UNK'],
  exploitation: ['UNK'],
  regionOfIdentification: 'UNK',
  regionOfExploitation: 'UNK',
  countryOfRecruitment: 'UNK',
  assistance: 'UNK',
  reflectionPeriod: 'UNK',
  residencePermit: 'UNK',
  meansOfControl: ['UNK'],
  recruiterRelationship: ['UNK'],
  labourSector: 'UNK',
};

describe('applyMapping: shape of the output', () => {
  it('gives every applicable field, UNK when unknown, and no other field', () => {
    expect(map({ fields: {} }, {})).toEqual({
      fields: ALL_UNKNOWN_VICTIM,
      quality: [],
      issues: [],
      unmapped: [],
    });
    expect(map({ fields: {} }, {}, 'prosecution').fields).toEqual({
      regionOfIdentification: 'UNK',
      regionOfExploitation: 'UNK',
      outcome: 'UNK',
    });
    expect(Object.keys(map({ fields: {} }, {}, 'suspect').fields)).toEqual([
      'sex',
      'ageGroup',
      'citizenship',
      'exploitation',
      'regionOfIdentification',
      'regionOfExploitation',
      'organisedCrime',
      'labourSector',
    ]);
  });

  it('sorts and deduplicates lists, and never mixes UNK with real codes', () => {
    const result = map({ fields: { citizenship: { from: 'nac', split: ';' } } }, { nac: 'PT; BR;UNK;PT;;' });
    expect(result.fields.citizenship).toEqual(['BR', 'PT']);
    expect(map({ fields: {} }, { citizenship: ['UNK', 'UNK'] }).fields.citizenship).toEqual(['UNK']);
  });

  it('keeps any rule from emitting an invalid code, even from an unchecked mapping', () => {
    const unchecked = {
      format: 'mosy-mapping/1',
      fields: { sex: { const: 'W' } },
    } as unknown as MappingDocument;
    const result = applyMapping(unchecked, record({}), { referenceYear: 2026 });
    expect(result.fields.sex).toBe('UNK');
    expect(result.issues).toEqual([
      {
        field: 'sex',
        code: 'invalid-mapping',
        message: 'sex: the mapping produced an invalid code: "W" is not a code of sex (F, M, X, UNK)',
      },
    ]);
  });
});

describe('applyMapping: from rules', () => {
  const sex = { from: ['genero', 'sexo'], values: { Feminino: 'F', Masculino: 'M' } };

  it('uses the first source present and not empty', () => {
    expect(map({ fields: { sex } }, { genero: 'Masculino', sexo: 'Feminino' }).fields.sex).toBe('M');
    expect(map({ fields: { sex } }, { genero: '  ', sexo: 'Feminino' }).fields.sex).toBe('F');
    expect(map({ fields: { sex } }, { genero: null, sexo: 'Feminino' }).fields.sex).toBe('F');
    expect(map({ fields: { sex } }, {}).fields.sex).toBe('UNK');
  });

  it('trims keys and values, and ignores case on request', () => {
    expect(
      map({ fields: { sex: { from: 'g', values: { ' Feminino ': 'F' } } } }, { g: 'Feminino  ' }).fields.sex,
    ).toBe('F');
    expect(map({ fields: { sex } }, { genero: 'feminino' }).fields.sex).toBe('UNK');
    expect(
      map({ fields: { sex: { ...sex, caseInsensitive: true } } }, { genero: 'FEMININO' }).fields.sex,
    ).toBe('F');
  });

  it('maps one value to several codes in list fields', () => {
    const rule = {
      from: 'c',
      split: ',',
      values: { violencia: ['PHYS_ABUSE', 'PSYCH_ABUSE'], divida: 'DEBT' },
    };
    expect(
      map({ fields: { meansOfControl: rule } }, { c: 'violencia,divida' }).fields.meansOfControl,
    ).toEqual(['DEBT', 'PHYS_ABUSE', 'PSYCH_ABUSE']);
  });

  it('passes valid canonical codes through without a table, and only on request with one', () => {
    expect(map({ fields: { sex: { from: 'g' } } }, { g: 'F' }).fields.sex).toBe('F');
    expect(map({ fields: { sex: { from: 'g' } } }, { g: 'f' }).fields.sex).toBe('UNK');
    expect(map({ fields: { sex } }, { genero: 'F' }).fields.sex).toBe('UNK');
    expect(map({ fields: { sex: { ...sex, passthrough: true } } }, { genero: 'F' }).fields.sex).toBe('F');
    expect(map({ fields: { sex: { from: 'g', passthrough: false } } }, { g: 'F' }).fields.sex).toBe('UNK');
  });

  it('takes a JSON list for a list field, numbers and booleans as text', () => {
    expect(map({ fields: {} }, { citizenship: ['BR', 'AO'] }).fields.citizenship).toEqual(['AO', 'BR']);
    expect(
      map({ fields: { assistance: { from: 'a', values: { true: 'Y', false: 'N' } } } }, { a: false }).fields
        .assistance,
    ).toBe('N');
    expect(
      map({ fields: { assistance: { from: 'a', values: { '1': 'Y', '0': 'N' } } } }, { a: 1 }).fields
        .assistance,
    ).toBe('Y');
  });

  it('refuses several values for a single-valued field', () => {
    const result = map({ fields: { sex: { from: 'g' } } }, { g: ['F', 'M'] });
    expect(result.fields.sex).toBe('UNK');
    expect(result.issues).toEqual([
      { field: 'fields.g', code: 'invalid-field', message: 'fields.g: sex takes one value, got a list of 2' },
    ]);
    expect(map({ fields: { sex: { from: 'g' } } }, { g: ['F'] }).fields.sex).toBe('F');
  });

  it('applies transforms before the table', () => {
    expect(
      map({ fields: { ageGroup: { from: 'idade', transform: 'age' } } }, { idade: 17 }).fields.ageGroup,
    ).toBe('16-17');
    expect(
      map({ fields: { ageGroup: { from: 'nasc', transform: 'birthYear' } } }, { nasc: '1990' }).fields
        .ageGroup,
    ).toBe('35-44');
    expect(
      map(
        { fields: { ageGroup: { from: 'idade', transform: 'age', values: { '0-11': 'child' } } } },
        { idade: 8 },
      ).fields.ageGroup,
    ).toBe('child');
    expect(
      map({ fields: { regionOfExploitation: { from: 'p', transform: 'isoToNuts' } } }, { p: 'gr' }).fields
        .regionOfExploitation,
    ).toBe('EL');
    expect(
      map({ fields: { countryOfRecruitment: { from: 'p', transform: 'upper' } } }, { p: 'na' }).fields
        .countryOfRecruitment,
    ).toBe('NA');
  });

  it('reports a value a transform cannot convert', () => {
    const result = map({ fields: { ageGroup: { from: 'nasc', transform: 'birthYear' } } }, { nasc: 2030 });
    expect(result.issues).toEqual([
      {
        field: 'fields.nasc',
        code: 'invalid-field',
        message: 'fields.nasc: year of birth 2030 is after the reference year 2026',
      },
    ]);
    expect(
      map({ fields: { ageGroup: { from: 'idade', transform: 'age' } } }, { idade: -4 }).issues[0]?.message,
    ).toBe('fields.idade: -4 is not a plausible age (0–120)');
  });

  it('uses the default when no source is given, flagging a default other than UNK', () => {
    const rule = { from: 'r', default: 'PT' };
    expect(map({ fields: { regionOfIdentification: rule } }, {})).toMatchObject({
      fields: { regionOfIdentification: 'PT' },
      quality: ['defaulted:regionOfIdentification'],
    });
    expect(map({ fields: { regionOfIdentification: rule } }, { r: 'PT11' })).toMatchObject({
      fields: { regionOfIdentification: 'PT11' },
      quality: [],
    });
    expect(map({ fields: { sex: { from: 'g', default: 'UNK' } } }, {}).quality).toEqual([]);
  });
});

describe('applyMapping: unmapped values', () => {
  const sex = { from: 'genero', values: { Feminino: 'F' } };

  it('flags them by default: UNK, a quality flag and the value for the coverage report', () => {
    const result = map({ fields: { sex } }, { genero: 'Outra' });
    expect(result.fields.sex).toBe('UNK');
    expect(result.quality).toEqual(['unmapped:sex']);
    expect(result.issues).toEqual([]);
    expect(result.unmapped).toEqual([{ field: 'sex', source: 'genero', value: 'Outra' }]);
  });

  it('keeps the mapped codes of a list beside a flagged item, and truncates long values', () => {
    const long = 'x'.repeat(100);
    const result = map({ fields: { citizenship: { from: 'n', split: ';' } } }, { n: `PT;Brasil;${long}` });
    expect(result.fields.citizenship).toEqual(['PT']);
    expect(result.unmapped).toEqual([
      { field: 'citizenship', source: 'n', value: 'Brasil' },
      { field: 'citizenship', source: 'n', value: 'x'.repeat(64) },
    ]);
  });

  it('rejects them under the reject policy, of the rule or of the document', () => {
    const expected = [
      {
        field: 'fields.genero',
        code: 'unmapped-value',
        message: 'fields.genero: "Outra" is not mapped to a sex code',
      },
    ];
    expect(map({ fields: { sex: { ...sex, unmapped: 'reject' } } }, { genero: 'Outra' }).issues).toEqual(
      expected,
    );
    expect(map({ unmapped: 'reject', fields: { sex } }, { genero: 'Outra' }).issues).toEqual(expected);
    expect(
      map({ unmapped: 'reject', fields: { sex: { ...sex, unmapped: 'flag' } } }, { genero: 'Outra' }).issues,
    ).toEqual([]);
  });
});

describe('applyMapping: flags and const', () => {
  const exploitation = { flags: { sexual: 'SEX', labour: 'LAB', begging: 'BEG' } };

  it('lists the codes whose flag is true, with the default truthy values in any case', () => {
    expect(
      map({ fields: { exploitation } }, { sexual: 'YES', labour: true, begging: 0 }).fields.exploitation,
    ).toEqual(['LAB', 'SEX']);
    expect(
      map({ fields: { exploitation } }, { sexual: 'y', labour: 1, begging: 'True' }).fields.exploitation,
    ).toEqual(['BEG', 'LAB', 'SEX']);
  });

  it('says UNK when no flag is given or none is true', () => {
    expect(map({ fields: { exploitation } }, {}).fields.exploitation).toEqual(['UNK']);
    expect(map({ fields: { exploitation } }, { sexual: 'no', labour: false }).fields.exploitation).toEqual([
      'UNK',
    ]);
  });

  it('uses the rule truthy values instead of the defaults', () => {
    const rule = { ...exploitation, truthy: ['sim'] };
    expect(
      map({ fields: { exploitation: rule } }, { sexual: 'Sim', labour: 'yes' }).fields.exploitation,
    ).toEqual(['SEX']);
  });

  it('refuses a list in a flag column', () => {
    expect(map({ fields: { exploitation } }, { sexual: ['1'] }).issues).toEqual([
      {
        field: 'fields.sexual',
        code: 'invalid-field',
        message: 'fields.sexual: a flag takes one value, got a list',
      },
    ]);
  });

  it('sets constants, as lists for list fields', () => {
    const result = map(
      { fields: { regionOfIdentification: { const: 'PT' }, exploitation: { const: 'LAB' } } },
      {},
    );
    expect(result.fields.regionOfIdentification).toBe('PT');
    expect(result.fields.exploitation).toEqual(['LAB']);
  });
});

describe('applyMapping: sources the mapping does not name', () => {
  it('refuses a source field that no rule reads and drop does not list', () => {
    const result = map(
      { fields: { sex: { from: 'genero' } }, drop: ['notas'] },
      { genero: 'F', notas: 'free text', foo: 'x' },
    );
    expect(result.issues).toEqual([
      {
        field: 'fields.foo',
        code: 'unknown-field',
        message: "fields.foo is not in this provider's mapping (map it, or list it under drop)",
      },
    ]);
  });

  it('reads canonical names only for fields without a rule', () => {
    expect(map({ fields: { sex: { from: 'genero' } } }, { sex: 'F' }).issues.map((i) => i.field)).toEqual([
      'fields.sex',
    ]);
    expect(map({ fields: {} }, { sex: 'F', status: 'IDENTIFIED' })).toMatchObject({
      fields: { sex: 'F', status: 'IDENTIFIED' },
      issues: [],
    });
  });

  it('reads ageGroup, then age, then birthYear for an ageGroup without a rule', () => {
    expect(map({ fields: {} }, { ageGroup: 'child', age: 40 }).fields.ageGroup).toBe('child');
    expect(map({ fields: {} }, { age: 40, birthYear: 2020 }).fields.ageGroup).toBe('35-44');
    expect(map({ fields: {} }, { birthYear: 2020 }).fields.ageGroup).toBe('0-11');
  });

  it('accepts a source read only by another kind, and maps nothing from it', () => {
    const mapping = {
      fields: {},
      kinds: { suspect: { organisedCrime: { from: 'oc', values: { s: 'Y' } } } },
    };
    expect(map(mapping, { oc: 's' }, 'suspect').fields.organisedCrime).toBe('Y');
    const victim = map(mapping, { oc: 's' }, 'victim');
    expect(victim.issues).toEqual([]);
    expect(victim.fields).toEqual(ALL_UNKNOWN_VICTIM);
  });
});

describe('applyMapping: per-kind rules', () => {
  it('replace the document rule for their kind only', () => {
    const mapping = {
      fields: { exploitation: { from: 'forma', values: { sexual: 'SEX' } } },
      kinds: { suspect: { exploitation: { from: 'crime', values: { '6a': 'SEX', '6b': 'LAB' } } } },
    };
    expect(map(mapping, { forma: 'sexual', crime: '6b' }, 'victim').fields.exploitation).toEqual(['SEX']);
    expect(map(mapping, { forma: 'sexual', crime: '6b' }, 'suspect').fields.exploitation).toEqual(['LAB']);
  });
});

describe('applyMapping: properties', () => {
  const kinds = Object.keys(RECORD_KINDS) as RecordKind[];
  const vocabulary = [
    'F',
    'M',
    'X',
    'PT',
    'BR',
    'NA',
    'SEX',
    'LAB',
    'Y',
    'N',
    'UNK',
    'child',
    '16-17',
    'PT11',
    'GR',
    'x',
    '',
  ];
  const rawValue = fc.oneof(
    fc.constantFrom(...vocabulary),
    fc.string({ maxLength: 6 }),
    fc.integer({ min: -5, max: 130 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.constantFrom(...vocabulary), { maxLength: 4 }),
  );
  const sources = fc.dictionary(fc.constantFrom(...CANONICAL_FIELDS, 'age', 'birthYear'), rawValue);

  it('emits only valid codes, every applicable field, lists sorted and unique, whatever comes in', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), sources, (kind, fields) => {
        const result = map({ fields: {}, drop: [...CANONICAL_FIELDS, 'age', 'birthYear'] }, fields, kind);
        const applicable = CANONICAL_FIELDS.filter((f) => FIELDS[f].kinds.includes(kind));
        expect(Object.keys(result.fields).sort()).toEqual([...applicable].sort());
        for (const field of applicable) {
          const value = result.fields[field];
          if (isListField(field)) {
            expect(Array.isArray(value)).toBe(true);
            const list = value as readonly string[];
            expect(list.length).toBeGreaterThan(0);
            expect([...new Set(list)].sort()).toEqual(list);
            if (list.length > 1) expect(list).not.toContain('UNK');
            for (const code of list) expect(fieldValueProblem(field, code)).toBeUndefined();
          } else {
            expect(typeof value).toBe('string');
            expect(fieldValueProblem(field, value as string)).toBeUndefined();
          }
        }
      }),
    );
  });

  it('flags exactly the values it cannot map, and reports nothing for canonical input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('PT', 'BR', 'AO', 'STLS', 'UNK', 'Brasil', 'pt'), { maxLength: 5 }),
        (items) => {
          const result = map({ fields: { citizenship: { from: 'n' } } }, { n: items });
          const expectedUnmapped = items.filter((i) => i === 'Brasil' || i === 'pt');
          expect(result.unmapped.map((u) => u.value)).toEqual(expectedUnmapped);
          expect(result.quality).toEqual(expectedUnmapped.length > 0 ? ['unmapped:citizenship'] : []);
          const known = [...new Set(items.filter((i) => ['PT', 'BR', 'AO', 'STLS'].includes(i)))].sort();
          expect(result.fields.citizenship).toEqual(known.length > 0 ? known : ['UNK']);
        },
      ),
    );
  });
});
