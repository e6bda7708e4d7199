import { describe, expect, it } from 'vitest';
import { isMosyError, type FieldIssue } from '../errors.js';
import { parseMapping } from './parse.js';

const issuesOf = (json: unknown): readonly FieldIssue[] => {
  try {
    parseMapping(json);
  } catch (error) {
    if (isMosyError(error) && error.code === 'invalid-mapping') return error.issues;
    throw error;
  }
  return [];
};
const messages = (json: unknown): string[] => issuesOf(json).map((i) => i.message);
const withFields = (fields: unknown, extra: Record<string, unknown> = {}) => ({
  format: 'mosy-mapping/1',
  fields,
  ...extra,
});

describe('parseMapping', () => {
  it('accepts an empty mapping and a rich one, returning them', () => {
    const empty = withFields({});
    expect(parseMapping(empty)).toBe(empty);
    const rich = withFields(
      {
        sex: {
          from: ['genero', 'sexo'],
          values: { f: 'F', m: 'M' },
          caseInsensitive: true,
          unmapped: 'reject',
        },
        ageGroup: { from: 'ano', transform: 'birthYear', default: 'adult' },
        citizenship: { from: 'nac', split: ';', values: { x: ['PT', 'BR'] }, passthrough: true },
        exploitation: { flags: { a: 'SEX', b: 'LAB' }, truthy: ['x'] },
        regionOfExploitation: { from: 'pais', transform: 'isoToNuts' },
        assistance: { const: 'Y' },
        meansOfControl: { const: ['DEBT', 'THREATS'] },
      },
      {
        description: 'test',
        unmapped: 'flag',
        drop: ['notes'],
        kinds: {
          suspect: { organisedCrime: { from: 'oc' } },
          prosecution: { outcome: { const: 'ONGOING' } },
        },
      },
    );
    expect(parseMapping(rich)).toBe(rich);
  });

  it('refuses what is not a mapping document', () => {
    expect(messages(null)).toEqual(['(document): a mapping must be a JSON object']);
    expect(messages({ fields: {} })).toEqual(['format: must be "mosy-mapping/1"']);
    expect(messages({ format: 'mosy-mapping/1' })).toEqual([
      'fields: is required (an object of canonical field → rule, may be empty)',
    ]);
    expect(messages(withFields({}, { extra: 1, unmapped: 'ignore', drop: 'notes', description: 3 }))).toEqual(
      [
        'extra: unknown property (expected format, description, unmapped, fields, kinds, drop)',
        'description: must be a string',
        'unmapped: must be "flag", "count" or "reject"',
        'drop: must be a list of source field names',
      ],
    );
  });

  it('throws one MosyError listing every problem', () => {
    try {
      parseMapping(withFields({ gender: { from: 'g' }, sex: {} }));
      expect.unreachable();
    } catch (error) {
      expect(isMosyError(error) && error.message).toBe('The mapping is not valid (2 problems).');
      expect(isMosyError(error) && error.retriable).toBe(false);
    }
  });

  it('names unknown canonical fields and kinds, and fields that do not apply to a kind', () => {
    expect(messages(withFields({ gender: { from: 'g' } }))).toEqual([
      'fields.gender: not a canonical field of the MoSy taxonomy',
    ]);
    expect(
      messages(withFields({}, { kinds: { witness: {}, victim: { outcome: { const: 'ONGOING' } } } })),
    ).toEqual([
      'kinds.witness: not a record kind (victim, suspect, prosecuted, convicted, prosecution)',
      'kinds.victim.outcome: outcome does not apply to victim records',
    ]);
  });

  it('needs exactly one of from, flags and const', () => {
    expect(messages(withFields({ sex: {} }))).toEqual([
      'fields.sex: a rule needs exactly one of from, flags or const; it has none',
    ]);
    expect(messages(withFields({ sex: { from: 'g', const: 'F' } }))).toEqual([
      'fields.sex: a rule needs exactly one of from, flags or const; it has from and const',
    ]);
    expect(messages(withFields({ exploitation: { from: 'e', flags: { a: 'SEX' }, const: 'SEX' } }))).toEqual([
      'fields.exploitation: a rule needs exactly one of from, flags or const; it has from and flags and const',
    ]);
  });

  it('checks every target code against the taxonomy', () => {
    expect(messages(withFields({ sex: { from: 'g', values: { Feminino: 'W' } } }))).toEqual([
      'fields.sex.values.Feminino: "W" is not a code of sex (F, M, X, UNK)',
    ]);
    expect(messages(withFields({ sex: { from: 'g', values: { a: ['F', 'M'] } } }))).toEqual([
      'fields.sex.values.a: sex holds one value; a list of codes is only allowed for list fields',
    ]);
    expect(messages(withFields({ citizenship: { from: 'n', values: { a: ['PT', 'XX'], b: [] } } }))).toEqual([
      'fields.citizenship.values.a: "XX" is not an ISO 3166-1 alpha-2 country code or STLS',
      'fields.citizenship.values.b: must not be an empty list (use UNK for unknown)',
    ]);
    expect(messages(withFields({ status: { const: 'REGISTERED' } }))).toEqual([
      'fields.status.const: "REGISTERED" is not a code of status (IDENTIFIED, PRESUMED, FLAGGED, PENDING, NOT_CONFIRMED)',
    ]);
    expect(messages(withFields({ regionOfIdentification: { from: 'r', default: 'GR3' } }))).toEqual([
      'fields.regionOfIdentification.default: "GR3": GR is inside NUTS; use the NUTS code EL3',
    ]);
    expect(messages(withFields({ exploitation: { flags: { a: 'SEXUAL', b: ['SEX'] } } }))).toEqual([
      'fields.exploitation.flags.a: "SEXUAL" is not a code of exploitation (SEX, LAB, BEG, CRIM, SLAV, ORG, MAR, ADOPT, SURR, OTH, UNK)',
      'fields.exploitation.flags.b: must be one canonical code',
    ]);
    expect(messages(withFields({ sex: { from: 'g', values: { a: 3 } } }))).toEqual([
      'fields.sex.values.a: must be a canonical code of sex',
    ]);
  });

  it('refuses options that do not fit the rule or the field', () => {
    expect(messages(withFields({ citizenship: { from: 'n', transform: 'lower' } }))).toEqual([
      'fields.citizenship.transform: must be one of age, birthYear, birthDate, upper, isoToNuts',
    ]);
    expect(messages(withFields({ sex: { from: 'g', transform: 'age' } }))).toEqual([
      'fields.sex.transform: age produces an age group, so it only applies to ageGroup',
    ]);
    expect(messages(withFields({ citizenship: { from: 'g', transform: 'isoToNuts' } }))).toEqual([
      'fields.citizenship.transform: isoToNuts produces a geography code, so it only applies to regionOfIdentification and regionOfExploitation',
    ]);
    expect(messages(withFields({ sex: { from: 'g', split: ';' } }))).toEqual([
      'fields.sex.split: sex holds one value, so it cannot be split',
    ]);
    expect(messages(withFields({ sex: { flags: { a: 'F' } } }))).toEqual([
      'fields.sex.flags: sex holds one value; flags build a list',
    ]);
    expect(messages(withFields({ sex: { const: 'F', values: { a: 'F' }, split: ',' } }))).toEqual([
      'fields.sex.values: only applies to a rule with from',
      'fields.sex.split: only applies to a rule with from',
      'fields.sex.split: sex holds one value, so it cannot be split',
    ]);
    expect(
      messages(withFields({ sex: { from: 'g', truthy: ['x'], caseInsensitive: 'yes', colour: 1 } })),
    ).toEqual([
      'fields.sex.colour: unknown rule option (expected from, values, caseInsensitive, passthrough, split, transform, flags, truthy, const, default, unmapped)',
      'fields.sex.caseInsensitive: must be true or false',
      'fields.sex.truthy: only applies to a rule with flags',
    ]);
    expect(messages(withFields({ sex: { from: '' }, exploitation: { flags: {} } }))).toEqual([
      'fields.sex.from: must be a source field name or a non-empty list of them',
      'fields.exploitation.flags: must be a non-empty object of source field → code',
    ]);
    expect(messages(withFields({ sex: { from: [] } }))).toEqual([
      'fields.sex.from: must be a source field name or a non-empty list of them',
    ]);
    expect(messages(withFields({ sex: { from: 'g', unmapped: 'drop' } }))).toEqual([
      'fields.sex.unmapped: must be "flag", "count" or "reject"',
    ]);
  });

  it('refuses value keys that clash when case is ignored', () => {
    expect(
      messages(
        withFields({ sex: { from: 'g', values: { F: 'F', f: 'M', m: 'M', M: 'M' }, caseInsensitive: true } }),
      ),
    ).toEqual(['fields.sex.values.f: clashes with "F" when case is ignored']);
  });
});
