/**
 * The built-in HTCDS 2.0 mapping and row reader, on rows written here. (The check against IOM's own XLSForm, which
 * reads a file, is services/ingest/src/htcds-form.test.ts: core does no I/O.)
 */
import { describe, expect, it } from 'vitest';
import { parseMapping } from '../mapping/parse.js';
import { mapRecord } from '../mapping/map-record.js';
import { validateSubmittedRecord } from '../submission/validate-record.js';
import { HTCDS_2_MAPPING, builtinMapping } from './mapping.js';
import { htcdsRowToRecord } from './row.js';

const mapOne = (fields: Record<string, string>) => {
  const { record } = validateSubmittedRecord(
    { recordId: 'r1', version: 1, action: 'upsert', kind: 'victim', referenceDate: '2024-05-01', fields },
    0,
    'p1',
    '2099-12-31',
  );
  if (record === undefined) throw new Error('invalid test record');
  return mapRecord(HTCDS_2_MAPPING, record);
};

describe('the built-in HTCDS 2.0 mapping', () => {
  it('is a valid mapping document, found by its name', () => {
    expect(parseMapping(JSON.parse(JSON.stringify(HTCDS_2_MAPPING)))).toEqual(HTCDS_2_MAPPING);
    expect(builtinMapping('htcds-2.0')).toBe(HTCDS_2_MAPPING);
    expect(builtinMapping('htcds-1.0')).toBeUndefined();
  });

  it('maps a full row to the codes the README documents', () => {
    const result = mapOne({
      vic_TraffickingStatus: 'ActualVictimOfTrafficking',
      prs_Gender: 'Transgender Feminine',
      prs_Birthdate: '14/03/2007',
      prs_Citizenship: 'ua; md',
      vic_TypeOfExploitation: 'ForcedLabour;Sexual exploitation;ChildLabour',
      vic_MethodsOfControl: 'DebtBondage;ThreatensChildrenFamily;PhysicalThreats',
      vic_ForcedLabourIndustry: 'F_Construction',
      vic_RelationshipToTrafficker: 'Familial',
      vic_LocationOfExploitation: 'GR',
      vic_LocationOfRecruitment: 'md',
      prs_Email: 'someone@example.org',
      cas_IncomingReferralDetails: 'free text that must not travel',
    });
    if ('issues' in result) throw new Error(JSON.stringify(result.issues));
    expect(result.record.mapped.fields).toEqual({
      status: 'IDENTIFIED',
      sex: 'F',
      ageGroup: '16-17',
      citizenship: ['MD', 'UA'],
      exploitation: ['LAB', 'SEX'],
      meansOfControl: ['DEBT', 'THREATS'],
      labourSector: 'F',
      recruiterRelationship: ['FAMILY'],
      regionOfExploitation: 'EL',
      regionOfIdentification: 'UNK',
      countryOfRecruitment: 'MD',
      assistance: 'UNK',
      reflectionPeriod: 'UNK',
      residencePermit: 'UNK',
    });
  });

  it('refuses a trafficking status outside the standard', () => {
    const result = mapOne({ vic_TraffickingStatus: 'Maybe' });
    expect('issues' in result && result.issues.map((i) => i.code)).toEqual(['unmapped-value']);
  });

  it('counts a location typed as free text without keeping the text', () => {
    const result = mapOne({
      vic_TraffickingStatus: 'ActualVictimOfTrafficking',
      vic_LocationOfExploitation: 'flat of Ivan Petrov, Lisbon',
      vic_LocationOfRecruitment: 'Rua das Flores 12',
    });
    if ('issues' in result) throw new Error(JSON.stringify(result.issues));
    expect(result.record.mapped.fields).toMatchObject({
      regionOfExploitation: 'UNK',
      countryOfRecruitment: 'UNK',
    });
    expect(result.record.mapped.quality).toEqual([
      'unmapped:countryOfRecruitment',
      'unmapped:regionOfExploitation',
    ]);
    expect(result.unmapped).toEqual([
      { field: 'regionOfExploitation', source: 'vic_LocationOfExploitation', value: '(free text)' },
      { field: 'countryOfRecruitment', source: 'vic_LocationOfRecruitment', value: '(free text)' },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/Ivan|Petrov|Lisbon|Flores/i);
  });
});

describe('htcdsRowToRecord', () => {
  it('fills the envelope from the row number and the referral date, and splits the identity off', () => {
    expect(
      htcdsRowToRecord(
        {
          prs_First_Name: 'Ana',
          prs_MiddleName: 'Maria',
          prs_SecondName: 'Silva',
          prs_Birthdate: '2001-02-03',
          prs_Gender: 'Feminine',
          cas_IncomingReferralDate: '05/06/2024',
          vic_TraffickinStatusDecisionMakingOrg: 'NGO',
          vic_Methods_of_Control: '',
        },
        7,
      ),
    ).toEqual({
      recordId: 'row-7',
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate: '2024-06-05',
      fields: {
        prs_Birthdate: '2001-02-03',
        prs_Gender: 'Feminine',
        cas_IncomingReferralDate: '05/06/2024',
        vic_TraffickingStatusDecisionMakingOrg: 'NGO',
      },
      identity: { givenName: 'Ana Maria', familyName: 'Silva', dateOfBirth: '2001-02-03' },
    });
  });

  it('takes the MoSy envelope columns when the file has them', () => {
    expect(
      htcdsRowToRecord(
        {
          recordId: 'case-9',
          version: '3',
          action: 'withdraw',
          referenceDate: '2024-Q1',
          prs_Gender: 'Masculine',
        },
        1,
      ),
    ).toEqual({
      recordId: 'case-9',
      version: 3,
      action: 'withdraw',
      kind: 'victim',
      referenceDate: '2024-Q1',
      fields: { prs_Gender: 'Masculine' },
    });
  });
});
