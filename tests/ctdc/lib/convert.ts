/**
 * From CTDC rows to MoSy submissions, as a provider exporting its own system would send them: one victim record per
 * row, identified by CTDC's row number, dated by its year of registration (year precision: CTDC publishes no month
 * or day), with the row's columns as they are — strings, empty cells left out — for the provider's mapping to read.
 * No identity is sent (the data are k-anonymised), so each record counts as its own person. Also the two CTDC
 * providers (IOM case management, Polaris hotline) with their mapping documents from `examples/mappings/`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderType, SubmittedRecord } from '@mosy/core';
import { REPO_ROOT, type CtdcRow } from './ctdc-data.js';

/** One CTDC data source registered as a MoSy provider. */
export interface CtdcProvider {
  readonly id: string;
  readonly type: ProviderType;
  readonly name: string;
  /** The rows of this provider: those whose `Datasource` column holds this value. */
  readonly datasource: string;
  /** File name under `examples/mappings/`. */
  readonly mappingFile: string;
}

export const IOM: CtdcProvider = {
  id: 'ctdc-iom',
  type: 'INTL_ORG',
  name: 'CTDC 2017: IOM case management',
  datasource: 'Case Management',
  mappingFile: 'ctdc-iom-case-management.json',
};

export const POLARIS: CtdcProvider = {
  id: 'ctdc-polaris',
  type: 'HOTLINE',
  name: 'CTDC 2017: Polaris hotline',
  datasource: 'Hotline',
  mappingFile: 'ctdc-polaris-hotline.json',
};

export const CTDC_PROVIDERS: readonly CtdcProvider[] = [IOM, POLARIS];

/** The provider's mapping document, as JSON (the admin API validates it). */
export const mappingOf = (provider: CtdcProvider): unknown =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'mappings', provider.mappingFile), 'utf8'));

/** The provider a row belongs to. @throws Error for a `Datasource` of no provider. */
export function providerOf(row: CtdcRow): CtdcProvider {
  const provider = CTDC_PROVIDERS.find((p) => p.datasource === row.Datasource);
  if (provider === undefined) throw new Error(`row ${row.X}: unknown Datasource "${row.Datasource}"`);
  return provider;
}

/** The submission record of one CTDC row. @throws Error when the row number or the year is malformed. */
export function toSubmittedRecord(row: CtdcRow): SubmittedRecord {
  const x = row.X ?? '';
  const year = row.yearOfRegistration ?? '';
  if (!/^[1-9]\d*$/.test(x)) throw new Error(`row without a row number X: "${x}"`);
  if (!/^\d{4}$/.test(year)) throw new Error(`row ${x}: yearOfRegistration "${year}" is not a year`);
  const fields: Record<string, string> = {};
  for (const [column, value] of Object.entries(row)) if (value !== '') fields[column] = value;
  return { recordId: `ctdc-${x}`, version: 1, action: 'upsert', kind: 'victim', referenceDate: year, fields };
}
