/**
 * A synthetic HTCDS 2.0 case file for the HTCDS test: rows with the standard's column names and a seeded mix of
 * its value names and value labels (in varied case), dates in both formats a provider writes, multi-select cells
 * `;`-separated, free text and contact details that must be dropped, and unique invented names (so every row is
 * its own person). `expectedCodesOf` reads a row back with this file's own tables — written from the README's
 * HTCDS section, independently of core's vocabulary — to the codes the test expects the pipeline to count.
 */
import { seededRandom } from '@mosy/core';

/** A picklist entry as written in the file, and the MoSy code(s) it stands for. */
type Entry = readonly [written: string, code: string];

const STATUS: readonly Entry[] = [
  ['ActualVictimOfTrafficking', 'IDENTIFIED'],
  ['Actual victim of trafficking', 'IDENTIFIED'],
  ['possiblevictimoftrafficking', 'PRESUMED'],
  ['Possible victim of trafficking', 'PRESUMED'],
  ['NotAVictimOfTrafficking', 'NOT_CONFIRMED'],
];
const GENDER: readonly Entry[] = [
  ['Feminine', 'F'],
  ['feminine', 'F'],
  ['Masculine', 'M'],
  ['TransgenderFeminine', 'F'],
  ['Transgender Masculine', 'M'],
  ['Non-Conforming', 'X'],
  ['NonSpecifiedUnknown', 'UNK'],
  ['', 'UNK'],
];
const EXPLOITATION: readonly Entry[] = [
  ['ForcedLabour', 'LAB'],
  ['Sexual exploitation', 'SEX'],
  ['ChildLabour', 'LAB'],
  ['ForcedMarriage', 'MAR'],
  ['Servitude', 'SLAV'],
  ['ForcedBegging', 'BEG'],
  ['OrganRemoval', 'ORG'],
  ['Forced adoption', 'ADOPT'],
  ['Surrogacy', 'SURR'],
  ['ForcedMilitaryByNonStateActors', 'OTH'],
];
const CONTROL: readonly Entry[] = [
  ['DebtBondage', 'DEBT'],
  ['PhysicalThreats', 'THREATS'],
  ['Threatens children/family', 'THREATS'],
  ['ThreatsLawEnforcement', 'OTH'],
  ['WithholdsDocuments', 'DOCUMENTS'],
  ['Psychological abuse', 'PSYCH_ABUSE'],
];
const INDUSTRY: readonly Entry[] = [
  ['A_AgricultureForestryAndFishing', 'A'],
  ['F_Construction', 'F'],
  ['Accommodation and food service activities', 'I'],
  ['T_ActivitiesOfHouseholdsAsEmployers', 'T'],
];
const COUNTRIES = ['UA', 'md', 'PT', 'BR', 'NA', 'RO', 'ng'];

export const HTCDS_COLUMNS = [
  'recordId',
  'prs_FirstName',
  'prs_SecondName',
  'prs_Birthdate',
  'prs_Gender',
  'prs_Citizenship',
  'prs_Email',
  'vic_TraffickingStatus',
  'vic_TypeOfExploitation',
  'vic_MethodsOfControl',
  'vic_ForcedLabourIndustry',
  'cas_IncomingReferralDate',
  'cas_IncomingReferralDetails',
] as const;

export type HtcdsRow = Readonly<Record<(typeof HTCDS_COLUMNS)[number], string>>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** `count` rows, ids `<prefix>-<n>`. */
export function htcdsRows(count: number, seed: number, prefix: string): HtcdsRow[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const some = (list: readonly Entry[], most: number): string =>
    [...new Set(Array.from({ length: Math.floor(next() * (most + 1)) }, () => pick(list)[0]))].join(';');
  return Array.from({ length: count }, (_, i) => {
    const year = 1960 + Math.floor(next() * 50);
    const [month, day] = [1 + Math.floor(next() * 12), 1 + Math.floor(next() * 28)];
    const birth =
      next() < 0.1
        ? ''
        : next() < 0.5
          ? `${year}-${pad(month)}-${pad(day)}`
          : `${pad(day)}/${pad(month)}/${year}`;
    return {
      recordId: `${prefix}-${i + 1}`,
      prs_FirstName: pick(['Ana', 'Olena', 'Ioana', 'Maria', 'João']),
      prs_SecondName: `Testperson${prefix}${i + 1}`,
      prs_Birthdate: birth,
      prs_Gender: pick(GENDER)[0],
      prs_Citizenship: [...new Set([pick(COUNTRIES), ...(next() < 0.2 ? [pick(COUNTRIES)] : [])])].join(';'),
      prs_Email: next() < 0.3 ? `person${i}@example.org` : '',
      vic_TraffickingStatus: pick(STATUS)[0],
      vic_TypeOfExploitation: some(EXPLOITATION, 2),
      vic_MethodsOfControl: some(CONTROL, 3),
      vic_ForcedLabourIndustry: next() < 0.5 ? pick(INDUSTRY)[0] : '',
      cas_IncomingReferralDate: `${2023 + Math.floor(next() * 2)}-${pad(1 + Math.floor(next() * 12))}-${pad(1 + Math.floor(next() * 28))}`,
      cas_IncomingReferralDetails: next() < 0.3 ? 'Referred by "a shelter", see notes; call back' : '',
    };
  });
}

/** One CSV cell, quoted when it needs to be. */
const csvCell = (value: string): string => (/[",;\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The rows as a CSV file with HTCDS column names. */
export function htcdsCsv(rows: readonly HtcdsRow[]): string {
  return [HTCDS_COLUMNS.join(','), ...rows.map((row) => HTCDS_COLUMNS.map((c) => csvCell(row[c])).join(','))]
    .map((line) => `${line}\r\n`)
    .join('');
}

const lookup = (list: readonly Entry[], written: string): string => {
  const entry = list.find(([w]) => w.toLowerCase() === written.toLowerCase());
  if (entry === undefined) throw new Error(`no expected code for "${written}"`);
  return entry[1];
};
const listOf = (list: readonly Entry[], cell: string): string[] =>
  cell === '' ? ['UNK'] : [...new Set(cell.split(';').map((v) => lookup(list, v)))].sort();

/** The age band of an age in whole years. */
function band(age: number): string {
  const bands: readonly [number, string][] = [
    [12, '0-11'],
    [16, '12-15'],
    [18, '16-17'],
    [25, '18-24'],
    [35, '25-34'],
    [45, '35-44'],
    [55, '45-54'],
    [65, '55-64'],
  ];
  return bands.find(([below]) => age < below)?.[1] ?? '65+';
}

/** The codes a row stands for, by canonical field (lists as sorted arrays). */
export function expectedCodesOf(row: HtcdsRow): Record<string, string | string[]> {
  // Born `YYYY-MM-DD` or `DD/MM/YYYY`; the referral date is a day, so the age is the exact one on that day.
  const born = /^\d{4}/.test(row.prs_Birthdate)
    ? row.prs_Birthdate
    : row.prs_Birthdate === ''
      ? undefined
      : row.prs_Birthdate.split('/').reverse().join('-');
  const on = row.cas_IncomingReferralDate;
  const age =
    born === undefined
      ? undefined
      : Number(on.slice(0, 4)) - Number(born.slice(0, 4)) - (on.slice(5) < born.slice(5) ? 1 : 0);
  return {
    status: lookup(STATUS, row.vic_TraffickingStatus),
    sex: lookup(GENDER, row.prs_Gender),
    ageGroup: age === undefined ? 'UNK' : band(age),
    citizenship: [...new Set(row.prs_Citizenship.split(';').map((c) => c.toUpperCase()))].sort(),
    exploitation: listOf(EXPLOITATION, row.vic_TypeOfExploitation),
    meansOfControl: listOf(CONTROL, row.vic_MethodsOfControl),
    labourSector:
      row.vic_ForcedLabourIndustry === '' ? 'UNK' : lookup(INDUSTRY, row.vic_ForcedLabourIndustry),
  };
}
