/**
 * The CTDC mappings on the pure path, row by row: every one of the 47 102 CTDC rows, converted to a submission,
 * mapped with its provider's mapping and normalized (`mapRecord` then `normalize` from @mosy/core, as ingest and the
 * normalizer do), must hold exactly the canonical codes the reference computation derives from the CSV cells, with
 * no quality flag and no unmapped value.
 * When the pipeline test disagrees with the CSV, this one says whether the mapping or the pipeline is at fault.
 * Also the CSV edge cases the real file does not contain: `NA` (Namibia) and Greece's NUTS code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyMapping,
  mapRecord,
  normalize,
  parseMapping,
  type MappingDocument,
  type NormalizedRecord,
} from '@mosy/core';
import { ctdcCsvOf, loadCtdc, parseCtdcCsv, skipCtdc, CTDC_COLUMNS, type CtdcRow } from './lib/ctdc-data.js';
import { CTDC_PROVIDERS, IOM, mappingOf, providerOf, toSubmittedRecord } from './lib/convert.js';
import { expectedOf } from './lib/expected.js';

const SECRET = 'ctdc-test-pseudonym-secret-of-at-least-32-bytes';
const LIST_FIELDS = ['citizenship', 'exploitation', 'meansOfControl', 'recruiterRelationship'] as const;
const SCALAR_FIELDS = ['status', 'sex', 'ageGroup', 'regionOfExploitation', 'labourSector'] as const;
/** Victim fields that CTDC does not have: UNK for every record. */
const ABSENT_FIELDS = [
  'regionOfIdentification',
  'countryOfRecruitment',
  'assistance',
  'reflectionPeriod',
  'residencePermit',
] as const;

const mappings = new Map<string, MappingDocument>(
  CTDC_PROVIDERS.map((p) => [p.id, parseMapping(mappingOf(p))]),
);

/** Normalizes one row as the pipeline would (mapped by ingest, then normalized), failing on an issue or a dead letter. */
function normalizeRow(row: CtdcRow): { record: NormalizedRecord; unmapped: readonly unknown[] } {
  const provider = providerOf(row);
  const mapped = mapRecord(mappings.get(provider.id)!, toSubmittedRecord(row));
  if ('issues' in mapped) throw new Error(`row ${row.X}: ${mapped.issues.map((i) => i.code).join('; ')}`);
  const result = normalize(
    {
      submissionId: 'sub_ctdc',
      providerId: provider.id,
      providerType: provider.type,
      mappingVersion: 1,
      receivedAt: 0,
      record: mapped.record,
    },
    SECRET,
  );
  if ('deadLetter' in result) throw new Error(`row ${row.X}: ${result.deadLetter.reason}`);
  return { record: result.record, unmapped: mapped.unmapped };
}

/** One CTDC row with every cell empty except those given. */
const rowWith = (cells: Record<string, string>): string => ctdcCsvOf([cells]);

describe('the CTDC mappings', () => {
  it('are valid mapping documents', () => {
    for (const provider of CTDC_PROVIDERS) expect(() => parseMapping(mappingOf(provider))).not.toThrow();
  });

  it('name every CTDC column, so no column is refused as unknown', () => {
    const fields = Object.fromEntries(CTDC_COLUMNS.map((c) => [c, '1']));
    const record = {
      recordId: 'ctdc-1',
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate: '2016',
      fields,
    } as const;
    for (const provider of CTDC_PROVIDERS) {
      const { issues } = applyMapping(mappings.get(provider.id)!, record, { referenceYear: 2016 });
      expect(issues.filter((i) => i.code === 'unknown-field')).toEqual([]);
      const { issues: extra } = applyMapping(
        mappings.get(provider.id)!,
        { ...record, fields: { ...fields, notes: 'x' } },
        { referenceYear: 2016 },
      );
      expect(extra.map((i) => i.field)).toEqual(['fields.notes']);
    }
  });

  it('keep NA as Namibia and write Greece as EL (cases the 2017 file does not contain)', () => {
    const [namibia, greece] = [
      ...parseCtdcCsv(
        rowWith({
          X: '1',
          yearOfRegistration: '2016',
          Datasource: 'Case Management',
          gender: 'Female',
          citizenship: 'NA',
          CountryOfExploitation: 'NA',
        }),
      ),
      ...parseCtdcCsv(
        rowWith({
          X: '2',
          yearOfRegistration: '2016',
          Datasource: 'Hotline',
          gender: 'Male',
          citizenship: 'Missing',
          CountryOfExploitation: 'GR',
        }),
      ),
    ];
    expect(namibia?.citizenship).toBe('NA');
    const first = normalizeRow(namibia!).record.fields;
    expect([first.citizenship, first.regionOfExploitation]).toEqual([['NA'], 'NA']);
    const second = normalizeRow(greece!).record.fields;
    expect([second.citizenship, second.regionOfExploitation]).toEqual([['UNK'], 'EL']);
    expect([expectedOf(namibia!).citizenship, expectedOf(greece!).regionOfExploitation]).toEqual([
      ['NA'],
      ['EL'],
    ]);
  });

  it('send a row with empty cells left out, dated by its year of registration', () => {
    const [row] = parseCtdcCsv(
      rowWith({
        X: '17',
        yearOfRegistration: '2005',
        Datasource: 'Case Management',
        gender: 'Male',
        isForcedLabour: '0',
      }),
    );
    expect(toSubmittedRecord(row!)).toEqual({
      recordId: 'ctdc-17',
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate: '2005',
      fields: {
        X: '17',
        yearOfRegistration: '2005',
        Datasource: 'Case Management',
        gender: 'Male',
        isForcedLabour: '0',
      },
    });
    const { record } = normalizeRow(row!);
    expect([record.precision, record.periodStart, record.periodEnd]).toEqual([
      'year',
      '2005-01-01',
      '2005-12-31',
    ]);
    // isForcedLabour 0 and nothing else: nothing is known about the form of exploitation.
    expect(record.fields.exploitation).toEqual(['UNK']);
  });
});

describe.skipIf(skipCtdc())('every CTDC row on the pure path', () => {
  let rows: readonly CtdcRow[];
  beforeAll(() => {
    rows = loadCtdc().rows;
  });

  it('becomes exactly the canonical codes derived from its cells, with no quality flag', () => {
    const problems: string[] = [];
    const personKeys = new Set<string>();
    for (const row of rows) {
      const { record, unmapped } = normalizeRow(row);
      const expected = expectedOf(row);
      const actual = record.fields;
      const want: Record<string, unknown> = { kind: 'victim', precision: 'year', quality: [], unmapped: [] };
      const got: Record<string, unknown> = {
        kind: record.kind,
        precision: record.precision,
        quality: record.quality,
        unmapped,
      };
      for (const field of LIST_FIELDS) [want[field], got[field]] = [expected[field], actual[field]];
      for (const field of SCALAR_FIELDS) [want[field], got[field]] = [expected[field][0], actual[field]];
      for (const field of ABSENT_FIELDS) [want[field], got[field]] = ['UNK', actual[field]];
      for (const name of Object.keys(want))
        if (JSON.stringify(got[name]) !== JSON.stringify(want[name]) && problems.length < 20)
          problems.push(
            `row ${row.X} ${name}: expected ${JSON.stringify(want[name])}, got ${JSON.stringify(got[name])}`,
          );
      personKeys.add(record.personKey);
    }
    expect(problems).toEqual([]);
    // No identity: every record is its own person.
    expect(personKeys.size).toBe(47_102);
  });

  it('gets SEX and LAB from every isSexAndLabour row, though its flag maps to SEX alone', () => {
    const both = rows.filter((r) => r.isSexAndLabour === '1');
    expect(both).toHaveLength(23);
    for (const row of both) expect(normalizeRow(row).record.fields.exploitation).toEqual(['LAB', 'SEX']);
  });

  it('lands each age band where it lies: inside one MoSy band, or only child/adult', () => {
    const byBand = new Map<string, Set<unknown>>();
    for (const row of rows) {
      const band = `${row.ageBroad}|${row.ageBroad === '' ? row.majorityStatus : ''}`;
      const groups = byBand.get(band) ?? new Set();
      groups.add(normalizeRow(row).record.fields.ageGroup);
      byBand.set(band, groups);
    }
    expect(Object.fromEntries([...byBand].map(([band, groups]) => [band, [...groups]]))).toEqual({
      '0--8|': ['0-11'],
      '9--17|': ['child'],
      '18--20|': ['18-24'],
      '21--23|': ['18-24'],
      '24--26|': ['adult'],
      '27--29|': ['25-34'],
      '30--38|': ['adult'],
      '39--47|': ['adult'],
      '48+|': ['adult'],
      'Unknown|': ['UNK'],
      // Case management leaves ageBroad and majorityStatus empty together, so the fallback finds nothing.
      '|': ['UNK'],
    });
  });

  it('counts hotline records with ageBroad Unknown as UNK even when majorityStatus knows (a mapping/1 limit)', () => {
    const hotline = rows.filter((r) => r.Datasource === 'Hotline' && r.ageBroad === 'Unknown');
    const majority = hotline.reduce<Record<string, number>>((n, r) => {
      n[r.majorityStatus!] = (n[r.majorityStatus!] ?? 0) + 1;
      return n;
    }, {});
    expect(majority).toEqual({ Adult: 3194, Minor: 743, Unknown: 1606 });
    for (const row of hotline.slice(0, 100)) expect(normalizeRow(row).record.fields.ageGroup).toBe('UNK');
  });

  it('has no row for which several typeOfLabour flags name different NACE sections', () => {
    // Why labourSector could be single-valued if mapping/1 allowed flags for it: no CTDC row is ambiguous.
    const NACE: Record<string, string> = {
      typeOfLabourAgriculture: 'A',
      typeOfLabourAquafarming: 'A',
      typeOfLabourConstruction: 'F',
      typeOfLabourDomesticWork: 'T',
      typeOfLabourHospitality: 'I',
      typeOfLabourManufacturing: 'C',
      typeOfLabourMiningOrDrilling: 'B',
      typeOfLabourTransportation: 'H',
    };
    const sectors = new Map<string, number>();
    for (const row of rows) {
      const codes = [...new Set(Object.keys(NACE).flatMap((c) => (row[c] === '1' ? [NACE[c]!] : [])))].sort();
      const label = `${row.Datasource === IOM.datasource ? 'iom' : 'polaris'}:${codes.join('+') || 'UNK'}`;
      sectors.set(label, (sectors.get(label) ?? 0) + 1);
    }
    expect(Object.fromEntries([...sectors].sort())).toEqual({
      'iom:A': 228,
      'iom:C': 411,
      'iom:F': 1066,
      'iom:I': 82,
      'iom:T': 2579,
      'iom:UNK': 31_924,
      'polaris:A': 139,
      'polaris:T': 11,
      'polaris:UNK': 10_662,
    });
  });
});
