import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappingDocument } from './mapping/format.js';
import { parseMapping } from './mapping/parse.js';
import { normalize } from './normalize.js';
import type { SubmissionMessage, SubmittedRecord } from './records.js';

const secret = 'normalizer-test-secret-0123456789abcdef';
const hex = (message: string): string => createHmac('sha256', secret).update(message).digest('hex');

const mapping: MappingDocument = parseMapping({
  format: 'mosy-mapping/1',
  fields: {
    sex: { from: 'genero', values: { Feminino: 'F', Masculino: 'M' } },
    status: { from: 'estatuto', values: { Identificada: 'IDENTIFIED' }, unmapped: 'reject' },
  },
  drop: ['notas'],
});

const message = (record: Partial<SubmittedRecord> = {}): SubmissionMessage => ({
  submissionId: 'sub_1',
  providerId: 'ngo-lisboa',
  providerType: 'NGO',
  mappingVersion: 3,
  receivedAt: 1_770_000_000_000,
  record: {
    recordId: 'case-7',
    version: 2,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2026-03',
    fields: { genero: 'Feminino', estatuto: 'Identificada', notas: 'texto livre' },
    ...record,
  },
});

describe('normalize', () => {
  it('builds the normalized record: period, canonical fields, keys, versions', () => {
    const outcome = normalize(
      message({ identity: { givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1992-01-05' } }),
      mapping,
      secret,
    );
    expect(outcome).toEqual({
      record: {
        providerId: 'ngo-lisboa',
        providerType: 'NGO',
        recordId: 'case-7',
        version: 2,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2026-03',
        precision: 'month',
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
        personKey: `p:${hex('mosy-person/1|ana silva|1992-01-05')}`,
        recordKey: Number.parseInt(hex('mosy-cellkey/1|ngo-lisboa|case-7').slice(0, 8), 16),
        fields: {
          status: 'IDENTIFIED',
          sex: 'F',
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
        },
        quality: [],
        mappingVersion: 3,
        taxonomyVersion: '1',
        receivedAt: 1_770_000_000_000,
      },
      unmapped: [],
    });
  });

  it('keys a record without identity by provider and record', () => {
    const outcome = normalize(message(), mapping, secret);
    expect('record' in outcome && outcome.record.personKey).toBe(
      `r:${hex('mosy-record/1|ngo-lisboa|case-7')}`,
    );
  });

  it('keeps no fields for a withdrawal, but its keys and period', () => {
    const outcome = normalize(
      message({ action: 'withdraw', fields: {}, referenceDate: '2026' }),
      mapping,
      secret,
    );
    expect('record' in outcome && outcome.record).toMatchObject({
      action: 'withdraw',
      fields: {},
      quality: [],
      precision: 'year',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      personKey: `r:${hex('mosy-record/1|ngo-lisboa|case-7')}`,
    });
  });

  it('reports unmapped values beside the record, never inside it', () => {
    const outcome = normalize(
      message({ fields: { genero: 'Outro', estatuto: 'Identificada' } }),
      mapping,
      secret,
    );
    if (!('record' in outcome)) throw new Error('expected a record');
    expect(outcome.record.fields.sex).toBe('UNK');
    expect(outcome.record.quality).toEqual(['unmapped:sex']);
    expect(outcome.unmapped).toEqual([{ field: 'sex', source: 'genero', value: 'Outro' }]);
    expect(JSON.stringify(outcome.record)).not.toContain('Outro');
  });

  it('dead-letters a record with issues, naming fields and codes but no values', () => {
    const outcome = normalize(
      message({ fields: { estatuto: 'Sinalizada', extra: 'Maria' } }),
      mapping,
      secret,
      {
        now: 1_770_000_001_000,
      },
    );
    expect(outcome).toEqual({
      deadLetter: {
        stage: 'normalizer',
        providerId: 'ngo-lisboa',
        recordId: 'case-7',
        version: 2,
        code: 'unknown-field',
        reason: 'fields.extra: unknown-field; fields.estatuto: unmapped-value',
        receivedAt: 1_770_000_000_000,
        failedAt: 1_770_000_001_000,
      },
    });
  });

  it('dead-letters an invalid reference date', () => {
    const outcome = normalize(message({ referenceDate: '2026-02-30' }), mapping, secret, { now: 5 });
    expect('deadLetter' in outcome && outcome.deadLetter).toMatchObject({
      code: 'invalid-field',
      reason: 'referenceDate: invalid-field',
      failedAt: 5,
    });
  });

  it('dead-letters rather than throws on a mapping that bypassed validation', () => {
    const broken = { format: 'mosy-mapping/1' } as unknown as MappingDocument;
    const outcome = normalize(message(), broken, secret, { now: 5 });
    expect('deadLetter' in outcome && outcome.deadLetter.code).toBe('invalid-mapping');
  });

  it('treats an identity decoded as null as absent', () => {
    const outcome = normalize(
      message({ identity: null } as unknown as Partial<SubmittedRecord>),
      mapping,
      secret,
    );
    expect('record' in outcome && outcome.record.personKey.startsWith('r:')).toBe(true);
  });

  it('throws on a secret that is too short: a deployment error, not a record error', () => {
    expect(() => normalize(message(), mapping, 'short')).toThrow(/at least 32 bytes/);
  });

  it('lets no identity token, dropped text or unmapped value into its output (property)', () => {
    // Tokens from letters outside hex digits and outside every code and key name of the output, so a match can only be a leak.
    const token = fc.stringMatching(/^zq[g-y]{4,10}$/);
    fc.assert(
      fc.property(
        fc.array(token, { minLength: 1, maxLength: 4 }),
        fc.array(token, { minLength: 0, maxLength: 3 }),
        token,
        token,
        fc.boolean(),
        fc.constantFrom('Identificada', 'Sinalizada'),
        (given, family, document, unmapped, withDob, estatuto) => {
          const identity: Record<string, string> = {
            givenName: given.join(' '),
            familyName: family.join('-'),
            documentNumber: document,
            ...(withDob ? { dateOfBirth: '01/02/1990' } : {}),
          };
          const outcome = normalize(
            message({
              identity,
              fields: { genero: unmapped, estatuto, notas: `${given.join(' ')} ${document}` },
            }),
            mapping,
            secret,
            { now: 0 },
          );
          const published = JSON.stringify(
            'record' in outcome ? outcome.record : outcome.deadLetter,
          ).toLowerCase();
          for (const secretText of [...given, ...family, document, unmapped])
            expect(published).not.toContain(secretText);
          expect('record' in outcome).toBe(estatuto === 'Identificada');
        },
      ),
    );
  });
});
