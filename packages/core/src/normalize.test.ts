import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappingDocument } from './mapping/format.js';
import { parseMapping } from './mapping/parse.js';
import { mapRecord } from './mapping/map-record.js';
import { normalize } from './normalize.js';
import type { MappedRecord, SubmissionMessage, SubmittedRecord } from './records.js';

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

const submitted = (record: Partial<SubmittedRecord> = {}): SubmittedRecord => ({
  recordId: 'case-7',
  version: 2,
  action: 'upsert',
  kind: 'victim',
  referenceDate: '2026-03',
  fields: { genero: 'Feminino', estatuto: 'Identificada', notas: 'texto livre' },
  ...record,
});

/** A message with the provider's own fields (as written before mosy.submission v3), or with a mapped record. */
const message = (record: Partial<SubmittedRecord> | MappedRecord = {}): SubmissionMessage => ({
  submissionId: 'sub_1',
  providerId: 'ngo-lisboa',
  providerType: 'NGO',
  mappingVersion: 3,
  receivedAt: 1_770_000_000_000,
  record: 'mapped' in record ? record : submitted(record),
});

describe('normalize', () => {
  it('builds the normalized record: period, canonical fields, keys, versions', () => {
    const outcome = normalize(
      message({ identity: { givenName: 'Ana', familyName: 'Silva', dateOfBirth: '1992-01-05' } }),
      secret,
      { mapping },
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
    });
  });

  it('keys a record without identity by provider and record', () => {
    const outcome = normalize(message(), secret, { mapping });
    expect('record' in outcome && outcome.record.personKey).toBe(
      `r:${hex('mosy-record/1|ngo-lisboa|case-7')}`,
    );
  });

  it('keeps no fields for a withdrawal, but its keys and period', () => {
    const outcome = normalize(message({ action: 'withdraw', fields: {}, referenceDate: '2026' }), secret, {
      mapping,
    });
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
    // The coverage report's values come from the mapping step (ingest), the record from normalize.
    const mapped = mapRecord(mapping, submitted({ fields: { genero: 'Outro', estatuto: 'Identificada' } }));
    if (!('record' in mapped)) throw new Error('expected a mapped record');
    const outcome = normalize(message(mapped.record), secret);
    if (!('record' in outcome)) throw new Error('expected a record');
    expect(outcome.record.fields.sex).toBe('UNK');
    expect(outcome.record.quality).toEqual(['unmapped:sex']);
    expect(mapped.unmapped).toEqual([{ field: 'sex', source: 'genero', value: 'Outro' }]);
    expect(JSON.stringify(outcome.record)).not.toContain('Outro');
  });

  it('dead-letters a record with issues, naming fields and codes but no values', () => {
    const outcome = normalize(message({ fields: { estatuto: 'Sinalizada', extra: 'Maria' } }), secret, {
      mapping,
      now: 1_770_000_001_000,
    });
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
    const outcome = normalize(message({ referenceDate: '2026-02-30' }), secret, { mapping, now: 5 });
    expect('deadLetter' in outcome && outcome.deadLetter).toMatchObject({
      code: 'invalid-field',
      reason: 'referenceDate: invalid-field',
      failedAt: 5,
    });
  });

  it('dead-letters rather than throws on a mapping that bypassed validation', () => {
    const broken = { format: 'mosy-mapping/1' } as unknown as MappingDocument;
    const outcome = normalize(message(), secret, { mapping: broken, now: 5 });
    expect('deadLetter' in outcome && outcome.deadLetter.code).toBe('invalid-mapping');
  });

  it('treats an identity decoded as null as absent', () => {
    const outcome = normalize(message({ identity: null } as unknown as Partial<SubmittedRecord>), secret, {
      mapping,
    });
    expect('record' in outcome && outcome.record.personKey.startsWith('r:')).toBe(true);
  });

  it('throws on a secret that is too short: a deployment error, not a record error', () => {
    expect(() => normalize(message(), 'short', { mapping })).toThrow(/at least 32 bytes/);
  });

  it('normalizes a record mapped by ingest without its mapping, to what the mapping would give (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Feminino', 'Masculino', 'Outro'),
        fc.constantFrom('Identificada', 'Sinalizada'),
        fc.constantFrom<SubmittedRecord['action']>('upsert', 'withdraw'),
        fc.constantFrom('2026', '2026-03', '2026-03-14', '2026-02-30'),
        fc.option(fc.constantFrom('Ana', 'Rui'), { nil: undefined }),
        (genero, estatuto, action, referenceDate, givenName) => {
          const record: Partial<SubmittedRecord> = {
            action,
            referenceDate,
            fields: action === 'withdraw' ? {} : { genero, estatuto },
            ...(givenName === undefined ? {} : { identity: { givenName, familyName: 'Silva' } }),
          };
          const viaIngest = mapRecord(mapping, submitted(record));
          const direct = normalize(message(record), secret, { mapping, now: 5 });
          // A record ingest rejects never reaches the topic; the rest normalize alike, dead letters included.
          if ('issues' in viaIngest) expect('deadLetter' in direct).toBe(true);
          else expect(normalize(message(viaIngest.record), secret, { now: 5 })).toEqual(direct);
        },
      ),
    );
  });

  it('refuses a record ingest did not map when no mapping is given: a caller error, not a record error', () => {
    expect(() => normalize(message(), secret)).toThrow(/not mapped by ingest/);
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
            secret,
            { mapping, now: 0 },
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
