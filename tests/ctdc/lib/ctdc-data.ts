/**
 * Where the CTDC 2017 global dataset lives and how it is read. The data are never copied into the repository (CTDC's
 * terms): the tests read them at run time from `MOSY_CTDC_DIR`, by default `../shared/external/ctdc-2017` next to the
 * repository. A missing folder is an error, so that CI cannot pass without the data; `MOSY_SKIP_CTDC=1` skips the
 * CTDC tests explicitly for people who do not have it. The CSV is parsed as strings only: nothing is coerced, so
 * `NA` (Namibia) stays a country code and `0` stays distinct from an empty cell.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** One CSV row: column name → cell, as the file has it ('' for an empty cell). */
export type CtdcRow = Readonly<Record<string, string>>;

/** The repository root, from this file's place in it (tests/ctdc/lib). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const CTDC_CSV = 'ctdc_global_2017-11-27.csv';

/** The start and end of the file's SHA-256 as the dataset's README gives it (`4b84c617…d780`). */
const SHA256_HEAD = '4b84c617';
const SHA256_TAIL = 'd780';

/** The 59 columns of the file, in order. */
export const CTDC_COLUMNS: readonly string[] = [
  'X',
  'yearOfRegistration',
  'Datasource',
  'gender',
  'ageBroad',
  'majorityStatus',
  'majorityStatusAtExploit',
  'majorityEntry',
  'citizenship',
  'meansOfControlDebtBondage',
  'meansOfControlTakesEarnings',
  'meansOfControlRestrictsFinancialAccess',
  'meansOfControlThreats',
  'meansOfControlPsychologicalAbuse',
  'meansOfControlPhysicalAbuse',
  'meansOfControlSexualAbuse',
  'meansOfControlFalsePromises',
  'meansOfControlPsychoactiveSubstances',
  'meansOfControlRestrictsMovement',
  'meansOfControlRestrictsMedicalCare',
  'meansOfControlExcessiveWorkingHours',
  'meansOfControlUsesChildren',
  'meansOfControlThreatOfLawEnforcement',
  'meansOfControlWithholdsNecessities',
  'meansOfControlWithholdsDocuments',
  'meansOfControlOther',
  'meansOfControlNotSpecified',
  'isForcedLabour',
  'isSexualExploit',
  'isOtherExploit',
  'isSexAndLabour',
  'isForcedMarriage',
  'isForcedMilitary',
  'isOrganRemoval',
  'typeOfLabourAgriculture',
  'typeOfLabourAquafarming',
  'typeOfLabourBegging',
  'typeOfLabourConstruction',
  'typeOfLabourDomesticWork',
  'typeOfLabourHospitality',
  'typeOfLabourIllicitActivities',
  'typeOfLabourManufacturing',
  'typeOfLabourMiningOrDrilling',
  'typeOfLabourPeddling',
  'typeOfLabourTransportation',
  'typeOfLabourOther',
  'typeOfLabourNotSpecified',
  'typeOfSexProstitution',
  'typeOfSexPornography',
  'typeOfSexRemoteInteractiveServices',
  'typeOfSexPrivateSexualServices',
  'isAbduction',
  'RecruiterRelationship',
  'CountryOfExploitation',
  'recruiterRelationIntimatePartner',
  'recruiterRelationFriend',
  'recruiterRelationFamily',
  'recruiterRelationOther',
  'recruiterRelationUnknown',
];

/** True when the CTDC tests are to be skipped on purpose (`MOSY_SKIP_CTDC=1`). */
export const skipCtdc = (env: NodeJS.ProcessEnv = process.env): boolean => env.MOSY_SKIP_CTDC === '1';

/** The dataset folder: `MOSY_CTDC_DIR`, else `../shared/external/ctdc-2017` next to the repository. */
export const ctdcDir = (env: NodeJS.ProcessEnv = process.env): string =>
  resolve(env.MOSY_CTDC_DIR ?? join(REPO_ROOT, '..', 'shared', 'external', 'ctdc-2017'));

/** Parses CTDC CSV text (header row first) into rows of strings, refusing any other set of columns. */
export function parseCtdcCsv(text: string): CtdcRow[] {
  return parse<CtdcRow>(text, {
    columns: (header: string[]) => {
      if (header.join(',') !== CTDC_COLUMNS.join(','))
        throw new Error(`not the CTDC 2017 columns: ${header.join(',')}`);
      return header;
    },
    bom: true,
    cast: false,
    skip_empty_lines: true,
    // Every row has all 59 cells: a short row would shift columns, so it must fail rather than be padded.
    relax_column_count: false,
  });
}

export interface CtdcDataset {
  readonly file: string;
  readonly sha256: string;
  readonly rows: readonly CtdcRow[];
}

/**
 * Reads the dataset from its folder and checks that it is the release the tests were written for.
 * @throws Error saying how to provide the data (or skip) when the folder or file is missing.
 */
export function loadCtdc(dir: string = ctdcDir()): CtdcDataset {
  const file = join(dir, CTDC_CSV);
  if (!existsSync(file))
    throw new Error(
      `The CTDC 2017 dataset is missing: ${file} does not exist. Put the dataset folder there or point ` +
        'MOSY_CTDC_DIR at it; to skip the CTDC tests on purpose, set MOSY_SKIP_CTDC=1.',
    );
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!sha256.startsWith(SHA256_HEAD) || !sha256.endsWith(SHA256_TAIL))
    throw new Error(`${file} is not the CTDC release of 2017-11-27 (sha256 ${sha256}).`);
  return { file, sha256, rows: parseCtdcCsv(bytes.toString('utf8')) };
}

/** CTDC CSV text for rows given by their non-empty cells (the other columns empty), for cases the file lacks. */
export const ctdcCsvOf = (rows: readonly Readonly<Record<string, string>>[]): string =>
  [CTDC_COLUMNS, ...rows.map((cells) => CTDC_COLUMNS.map((column) => cells[column] ?? ''))]
    .map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(','))
    .join('\n');
