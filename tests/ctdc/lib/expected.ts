/**
 * The reference computation for the CTDC test: what MoSy must count, worked out straight from the CSV cells with
 * plain tables written here, without the mapping engine or the mapping documents. It restates the decisions of
 * `examples/mappings/ctdc-*.json` (see their README) in code, so a mistake in a mapping, in the engine or anywhere in
 * the pipeline shows up as a difference. Counting follows the contract (§4) for this dataset: no identity is sent,
 * so each record is its own person; a cell counts the records that have its code (a record with two forms of
 * exploitation counts in both cells) and the total counts each record once.
 */
import type { CtdcRow } from './ctdc-data.js';
import { providerOf } from './convert.js';

/** The dimensions the CTDC test breaks counts down by. */
export type CtdcDimension =
  | 'providerId'
  | 'providerType'
  | 'status'
  | 'sex'
  | 'ageGroup'
  | 'ageClass'
  | 'citizenship'
  | 'exploitation'
  | 'regionOfExploitation'
  | 'meansOfControl'
  | 'recruiterRelationship'
  | 'labourSector';

/** What one row must become: the codes of every dimension (lists for list fields) and its year. */
export type ExpectedRecord = { readonly [D in CtdcDimension]: readonly string[] } & { readonly year: string };

const SEX: Readonly<Record<string, string>> = { Female: 'F', Male: 'M', Unknown: 'UNK' };

/** ageBroad → MoSy age group: a band when the CTDC band lies inside one, else the child/adult roll-up. */
const AGE_BROAD: Readonly<Record<string, string>> = {
  '0--8': '0-11',
  '9--17': 'child',
  '18--20': '18-24',
  '21--23': '18-24',
  '24--26': 'adult',
  '27--29': '25-34',
  '30--38': 'adult',
  '39--47': 'adult',
  '48+': 'adult',
  Unknown: 'UNK',
};

/** ageBroad → under 18 or not, straight from the band's bounds. */
const AGE_BROAD_CLASS: Readonly<Record<string, string>> = {
  '0--8': 'child',
  '9--17': 'child',
  '18--20': 'adult',
  '21--23': 'adult',
  '24--26': 'adult',
  '27--29': 'adult',
  '30--38': 'adult',
  '39--47': 'adult',
  '48+': 'adult',
  Unknown: 'UNK',
};

/** majorityStatus, read only when ageBroad is empty. */
const MAJORITY: Readonly<Record<string, string>> = {
  Minor: 'child',
  Adult: 'adult',
  Unknown: 'UNK',
  '': 'UNK',
};

const MEANS: Readonly<Record<string, string>> = {
  meansOfControlDebtBondage: 'DEBT',
  meansOfControlTakesEarnings: 'EARNINGS',
  meansOfControlRestrictsFinancialAccess: 'FINANCIAL_ACCESS',
  meansOfControlThreats: 'THREATS',
  meansOfControlPsychologicalAbuse: 'PSYCH_ABUSE',
  meansOfControlPhysicalAbuse: 'PHYS_ABUSE',
  meansOfControlSexualAbuse: 'SEX_ABUSE',
  meansOfControlFalsePromises: 'FALSE_PROMISES',
  meansOfControlPsychoactiveSubstances: 'SUBSTANCES',
  meansOfControlRestrictsMovement: 'MOVEMENT',
  meansOfControlRestrictsMedicalCare: 'MEDICAL_CARE',
  meansOfControlExcessiveWorkingHours: 'EXCESSIVE_HOURS',
  meansOfControlUsesChildren: 'OTH',
  meansOfControlThreatOfLawEnforcement: 'OTH',
  meansOfControlWithholdsNecessities: 'NECESSITIES',
  meansOfControlWithholdsDocuments: 'DOCUMENTS',
  meansOfControlOther: 'OTH',
};

const RECRUITER: Readonly<Record<string, string>> = {
  recruiterRelationIntimatePartner: 'PARTNER',
  recruiterRelationFriend: 'FRIEND',
  recruiterRelationFamily: 'FAMILY',
  recruiterRelationOther: 'OTH',
};

const cell = (row: CtdcRow, column: string): string => {
  const value = row[column];
  if (value === undefined) throw new Error(`row ${row.X}: no column ${column}`);
  return value;
};

/** Looks a cell up in a table; a value the table does not know is a surprise in the data, so it throws. */
const lookup = (table: Readonly<Record<string, string>>, row: CtdcRow, column: string): string => {
  const value = cell(row, column);
  const code = table[value];
  if (code === undefined) throw new Error(`row ${row.X}: unexpected ${column} "${value}"`);
  return code;
};

const isSet = (row: CtdcRow, column: string): boolean => cell(row, column) === '1';

/** A list field: its codes, or UNK when none. */
const listOf = (codes: Iterable<string>): readonly string[] => {
  const sorted = [...new Set(codes)].sort();
  return sorted.length === 0 ? ['UNK'] : sorted;
};

/** A country cell: ISO alpha-2 as it is, `Unknown` and `Missing` as UNK. */
function country(row: CtdcRow, column: string): string {
  const value = cell(row, column);
  if (value === 'Unknown' || value === 'Missing') return 'UNK';
  if (!/^[A-Z]{2}$/.test(value)) throw new Error(`row ${row.X}: unexpected ${column} "${value}"`);
  return value;
}

/** What MoSy must hold for one CTDC row. */
export function expectedOf(row: CtdcRow): ExpectedRecord {
  const provider = providerOf(row);
  const ageBroad = cell(row, 'ageBroad');
  const exploitation: string[] = [];
  if (isSet(row, 'isSexualExploit') || isSet(row, 'isSexAndLabour')) exploitation.push('SEX');
  if (isSet(row, 'isForcedLabour') || isSet(row, 'isSexAndLabour')) exploitation.push('LAB');
  if (isSet(row, 'isForcedMarriage')) exploitation.push('MAR');
  if (isSet(row, 'isOrganRemoval')) exploitation.push('ORG');
  if (isSet(row, 'isForcedMilitary') || isSet(row, 'isOtherExploit')) exploitation.push('OTH');
  const exploitationCountry = country(row, 'CountryOfExploitation');
  return {
    year: cell(row, 'yearOfRegistration'),
    providerId: [provider.id],
    providerType: [provider.type],
    status: ['IDENTIFIED'],
    sex: [lookup(SEX, row, 'gender')],
    ageGroup: [
      ageBroad === '' ? lookup(MAJORITY, row, 'majorityStatus') : lookup(AGE_BROAD, row, 'ageBroad'),
    ],
    ageClass: [
      ageBroad === '' ? lookup(MAJORITY, row, 'majorityStatus') : lookup(AGE_BROAD_CLASS, row, 'ageBroad'),
    ],
    citizenship: [country(row, 'citizenship')],
    exploitation: listOf(exploitation),
    // Greece is EL in NUTS; every other country of exploitation keeps its ISO code.
    regionOfExploitation: [exploitationCountry === 'GR' ? 'EL' : exploitationCountry],
    meansOfControl: listOf(Object.keys(MEANS).flatMap((c) => (isSet(row, c) ? [MEANS[c]!] : []))),
    recruiterRelationship: listOf(
      Object.keys(RECRUITER).flatMap((c) => (isSet(row, c) ? [RECRUITER[c]!] : [])),
    ),
    labourSector: ['UNK'],
  };
}

/** A count broken down like the report API answers: one entry per non-empty cell, and the total. */
export interface Counts {
  /** Cell label (`sex=F exploitation=SEX period=2016`) → count. */
  readonly cells: ReadonlyMap<string, number>;
  readonly total: number;
}

/** The label of a cell: its codes in breakdown order, then its period. */
export const cellLabel = (key: Readonly<Record<string, string | undefined>>, by: readonly string[]): string =>
  [...by, 'period']
    .filter((d) => key[d] !== undefined)
    .map((d) => `${d}=${key[d]}`)
    .join(' ');

/** Counts records by the breakdowns (and by year with `byYear`), each record once per cell. */
export function countExpected(
  records: readonly ExpectedRecord[],
  by: readonly CtdcDimension[],
  byYear: boolean,
): Counts {
  const cells = new Map<string, number>();
  for (const record of records) {
    let keys: Record<string, string>[] = [byYear ? { period: record.year } : {}];
    for (const dimension of by)
      keys = keys.flatMap((key) => record[dimension].map((code) => ({ ...key, [dimension]: code })));
    for (const label of new Set(keys.map((key) => cellLabel(key, by))))
      cells.set(label, (cells.get(label) ?? 0) + 1);
  }
  return { cells, total: records.length };
}
