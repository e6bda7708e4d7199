import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestAcceptedDay } from '../time/reference-date.js';
import { validateSubmittedRecord } from './validate-record.js';

const valid = {
  recordId: 'case-0001',
  version: 1,
  action: 'upsert',
  kind: 'victim',
  referenceDate: '2026-03-14',
  fields: { genero: 'Feminino', idade: 34, nacionalidades: ['BR', 'AO'], menor: false, notas: null },
  identity: { givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1992-01-05' },
};

const check = (input: unknown) => validateSubmittedRecord(input, 3, 'apav', '2026-12-07');

describe('validateSubmittedRecord', () => {
  it('accepts a valid record and returns it', () => {
    const { record, issues } = check(valid);
    expect(issues).toEqual([]);
    expect(record).toEqual(valid);
  });

  it('accepts a withdrawal without fields, with empty fields', () => {
    const { recordId, version, kind, referenceDate } = valid;
    const { record, issues } = check({
      recordId,
      version: version + 1,
      action: 'withdraw',
      kind,
      referenceDate,
    });
    expect(issues).toEqual([]);
    expect(record?.fields).toEqual({});
    expect(record?.identity).toBeUndefined();
  });

  it('names the record by its index when it is not an object', () => {
    expect(check('nope').issues).toEqual([
      {
        field: 'records[3]',
        code: 'invalid-request',
        message:
          'records[3] must be an object with recordId, version, action, kind, referenceDate and fields, got the string "nope"',
      },
    ]);
    expect(check([valid]).issues[0]?.message).toMatch(/got a list$/);
    expect(check(null).issues[0]?.message).toMatch(/got null$/);
  });

  it('gives specific, field-level messages', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ recordId: '' }, 'recordId', 'recordId: must not be empty'],
      [{ recordId: '   ' }, 'recordId', 'recordId: must not be empty'],
      [{ recordId: 7 }, 'recordId', 'recordId: must be a string, got number 7'],
      [{ recordId: 'x'.repeat(129) }, 'recordId', 'recordId: must be at most 128 characters, got 129'],
      [{ recordId: 'a\u0000b' }, 'recordId', 'recordId: must contain printable characters only'],
      [{ recordId: 'a\u200bb' }, 'recordId', 'recordId: must contain printable characters only'],
      [{ version: 0 }, 'version', 'version: must be a positive integer, got number 0'],
      [{ version: 1.5 }, 'version', 'version: must be a positive integer, got number 1.5'],
      [{ version: '2' }, 'version', 'version: must be a positive integer, got the string "2"'],
      [{ version: 2 ** 53 }, 'version', `version: must be a positive integer, got number ${2 ** 53}`],
      [{ action: undefined }, 'action', 'action: is required (upsert or withdraw)'],
      [{ action: 'delete' }, 'action', 'action: must be upsert or withdraw, got the string "delete"'],
      [
        { kind: 'witness' },
        'kind',
        'kind: must be one of victim, suspect, prosecuted, convicted, prosecution, got the string "witness"',
      ],
      [
        { kind: undefined },
        'kind',
        'kind: is required (victim, suspect, prosecuted, convicted, prosecution)',
      ],
      [{ referenceDate: '2026-02-30' }, 'referenceDate', 'referenceDate: 2026-02-30 is not a calendar date'],
      [{ referenceDate: undefined }, 'referenceDate', 'referenceDate: is required'],
      [{ fields: undefined }, 'fields', 'fields: must be an object of field name → value, got nothing'],
      [{ fields: ['a'] }, 'fields', 'fields: must be an object of field name → value, got a list'],
      [
        { fields: { x: { y: 1 } } },
        'fields.x',
        'fields.x: must be a string, number, boolean, null or a list of strings, got an object',
      ],
      [{ fields: { x: ['a', 1] } }, 'fields.x', 'fields.x: a list must hold strings only'],
      [{ fields: { x: Number.NaN } }, 'fields.x', 'fields.x: must be a finite number'],
      [{ identity: 'Ana Silva' }, 'identity', 'identity: must be an object of strings, got a string'],
      [
        { identity: { dateOfBirth: 19920105 } },
        'identity.dateOfBirth',
        'identity.dateOfBirth: must be a string, got a number',
      ],
    ];
    for (const [patch, field, message] of cases) {
      const { record, issues } = check({ ...valid, ...patch });
      expect(record).toBeUndefined();
      expect(issues).toEqual([{ field, code: 'invalid-field', message }]);
    }
  });

  it('refuses a reference date or date of birth in the future, without quoting the date of birth', () => {
    const record = (referenceDate: string, dateOfBirth?: string) => ({
      recordId: 'r1',
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate,
      fields: {},
      ...(dateOfBirth === undefined ? {} : { identity: { givenName: 'Ana', dateOfBirth } }),
    });
    // The latest accepted day is 2026-12-07: a day, month or year starting after it lies in the future.
    for (const date of ['2026-12-07', '2026-12', '2026', '2017-03-01'])
      expect(check(record(date)).issues).toEqual([]);
    for (const date of ['2026-12-08', '2027-01', '2027', '2031-01-01']) {
      expect(check(record(date)).issues).toEqual([
        {
          field: 'referenceDate',
          code: 'invalid-field',
          message: `referenceDate: ${date} lies in the future (the latest accepted day is 2026-12-07)`,
        },
      ]);
    }
    expect(check(record('2026-03', '2007-12-07')).issues).toEqual([]);
    for (const born of ['2030-01-01', '08/12/2026', '20261208']) {
      const { issues } = check(record('2026-03', born));
      expect(issues).toEqual([
        {
          field: 'identity.dateOfBirth',
          code: 'invalid-field',
          message: 'identity.dateOfBirth: lies in the future (the latest accepted day is 2026-12-07)',
        },
      ]);
    }
  });

  it('takes the latest accepted day as today in UTC plus one day', () => {
    expect(latestAcceptedDay(Date.UTC(2026, 11, 6, 23, 59))).toBe('2026-12-07');
    expect(latestAcceptedDay(Date.UTC(2026, 11, 31, 0, 0))).toBe('2027-01-01');
  });

  it('names unknown properties', () => {
    expect(check({ ...valid, notes: 'x', Kind: 'victim' }).issues).toEqual([
      {
        field: 'notes',
        code: 'unknown-field',
        message:
          'notes: notes is not a record property (recordId, version, action, kind, referenceDate, fields, identity)',
      },
      {
        field: 'Kind',
        code: 'unknown-field',
        message:
          'Kind: Kind is not a record property (recordId, version, action, kind, referenceDate, fields, identity)',
      },
    ]);
  });

  it('refuses a record naming another provider, and tolerates its own', () => {
    expect(check({ ...valid, providerId: 'apav' }).issues).toEqual([]);
    expect(check({ ...valid, provider: 'apav' }).issues).toEqual([]);
    expect(check({ ...valid, providerId: 'psp' }).issues).toEqual([
      {
        field: 'providerId',
        code: 'provider-mismatch',
        message: "providerId: the record names another provider than the key's owner (apav)",
      },
    ]);
    expect(check({ ...valid, provider: { id: 'apav' } }).issues.map((i) => i.code)).toEqual([
      'provider-mismatch',
    ]);
  });

  it('reports every problem of a record at once', () => {
    const { issues } = check({
      recordId: '',
      version: -1,
      action: 'x',
      kind: 'x',
      referenceDate: 'x',
      fields: 1,
    });
    expect(issues.map((i) => i.field)).toEqual([
      'recordId',
      'version',
      'action',
      'kind',
      'referenceDate',
      'fields',
    ]);
  });

  it('never quotes an identity value in a message (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }),
          fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)),
        ),
        (identity) => {
          const { issues } = check({ ...valid, identity });
          for (const [name, value] of Object.entries(identity)) {
            const issue = issues.find((i) => i.field === `identity.${name}`);
            expect(issue?.message).toBe(
              `identity.${name}: must be a string, got ${value === null ? 'null' : `a ${typeof value}`}`,
            );
          }
        },
      ),
    );
  });

  it('returns a record exactly when there is no issue (property)', () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(undefined),
      fc.constant(null),
      fc.constant('2026-02'),
    );
    fc.assert(
      fc.property(fc.record({ recordId: anyValue, version: anyValue, referenceDate: anyValue }), (patch) => {
        const { record, issues } = check({ ...valid, ...patch });
        expect(record === undefined).toBe(issues.length > 0);
      }),
    );
  });
});
