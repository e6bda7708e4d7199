/**
 * The metadata sheet of a quarterly Common Key Indicators report: what a reader needs beside the numbers —
 * the definitions of the indicators (from the catalogue), the disclosure method and its threshold, the revision
 * number, the providers included with their coverage, and what changed since the previous version. Pure: the
 * caller passes in the figures it measured (coverage, the revision diff, the build time), and gets a plain data
 * structure, rendered as JSON or as a long CSV (`section,item,field,value`) that a spreadsheet opens as it is.
 */
import type { IndicatorDefinition } from '../indicators/catalogue.js';
import type { CellChange, PublishedObservation, RevisionDiff } from './revision-diff.js';
import { sortedDimensions } from './revision-diff.js';
import { toCsv } from './csv.js';

/** A provider whose records the report includes, with the coverage the caller measured. */
export interface ProviderCoverage {
  readonly providerId: string;
  readonly name: string;
  readonly providerType: string;
  /** Current records of the provider dated in the report's period. */
  readonly records: number;
  /**
   * The share, 0 to 1, of what the provider was expected to report that it did (e.g. months or units with data,
   * as the caller measures it); absent when unknown.
   */
  readonly coverage?: number;
  /** ISO date of the provider's latest data in the report, if known. */
  readonly dataUntil?: string;
}

export interface MetadataSheetInput {
  /** ISO alpha-2 code of the reporting country. */
  readonly reportingCountry: string;
  /** The SDMX period of the quarter, e.g. `2026-Q1`. */
  readonly period: string;
  /** The year-to-date frame the report also covers, e.g. `2026-01-01/2026-03-31`. */
  readonly yearToDate: string;
  /** 0 for the first publication, then 1, 2… for each revision. */
  readonly revision: number;
  /** ISO timestamp of the build, passed in so the sheet stays a pure function of its input. */
  readonly builtAt: string;
  /** The indicators the report publishes, from the catalogue. */
  readonly indicators: readonly IndicatorDefinition[];
  /** Suppression as applied (`protectLinkedTables`): the threshold and how many distinct entries it withheld. */
  readonly disclosure: { readonly threshold: number; readonly withheld: number };
  readonly providers: readonly ProviderCoverage[];
  /** The diff against the previous published version (`diffReportVersions`); absent for the first publication. */
  readonly changes?: RevisionDiff;
}

export interface IndicatorDefinitionRow {
  readonly indicator: string;
  readonly label: string;
  readonly description: string;
  readonly unit: IndicatorDefinition['unit'];
  /** The Common Key Indicators it answers, e.g. `1.3 by gender`. */
  readonly cki: readonly string[];
}

export interface MetadataSheet {
  readonly report: {
    readonly title: string;
    readonly reportingCountry: string;
    readonly period: string;
    readonly yearToDate: string;
    readonly revision: number;
    readonly builtAt: string;
  };
  readonly definitions: readonly IndicatorDefinitionRow[];
  readonly disclosure: {
    readonly method: 'suppression';
    readonly threshold: number;
    readonly withheld: number;
    /** The flag of a withheld value. */
    readonly flag: 'c';
    readonly description: string;
  };
  readonly providers: readonly ProviderCoverage[];
  readonly revision: {
    readonly number: number;
    /** The version compared with; absent for the first publication. */
    readonly previous?: number;
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly changes: readonly CellChange[];
  };
}

/** The sheet's content. */
export function metadataSheet(input: MetadataSheetInput): MetadataSheet {
  const { changes, revision, disclosure } = input;
  return {
    report: {
      title: `Trafficking in human beings: EU Common Key Indicators, ${input.reportingCountry}, ${input.period}`,
      reportingCountry: input.reportingCountry,
      period: input.period,
      yearToDate: input.yearToDate,
      revision,
      builtAt: input.builtAt,
    },
    definitions: input.indicators.map((indicator) => ({
      indicator: indicator.id,
      label: indicator.label,
      description: indicator.description,
      unit: indicator.unit,
      cki: indicator.cki.map(({ ref, label }) => `${ref} ${label}`),
    })),
    disclosure: {
      method: 'suppression',
      threshold: disclosure.threshold,
      withheld: disclosure.withheld,
      flag: 'c',
      description:
        `Counts from 1 to ${disclosure.threshold - 1} are withheld (primary suppression), with further values ` +
        '(secondary suppression, hypercube method) across all the tables of the report together, so that no ' +
        'withheld value can be recovered from the published ones of any table. Withheld values are empty with ' +
        'the flag c; zero is always published.',
    },
    providers: input.providers,
    revision: {
      number: revision,
      ...(changes === undefined ? {} : { previous: revision - 1 }),
      added: changes?.added ?? 0,
      removed: changes?.removed ?? 0,
      changed: changes?.changed ?? 0,
      changes: changes?.changes ?? [],
    },
  };
}

/** The sheet as JSON, indented for reading. */
export const metadataSheetJson = (sheet: MetadataSheet): string => `${JSON.stringify(sheet, null, 2)}\n`;

/**
 * The sheet as CSV with the header `section,item,field,value`: one row per fact; a change is one row whose item
 * is the cell (`dimension=code;…`), field its kind (`added`, `removed`, `value`, `flag` or `value+flag`) and
 * value `before -> after`, an observation written as its value and flag (`12`, `c`).
 */
export function metadataSheetCsv(sheet: MetadataSheet): string {
  const rows: (readonly [string, string, string, string | number | undefined])[] = [];
  const { report, disclosure, revision } = sheet;
  for (const field of ['title', 'reportingCountry', 'period', 'yearToDate', 'revision', 'builtAt'] as const)
    rows.push(['report', '', field, report[field]]);
  for (const definition of sheet.definitions) {
    rows.push(['definition', definition.indicator, 'label', definition.label]);
    rows.push(['definition', definition.indicator, 'description', definition.description]);
    rows.push(['definition', definition.indicator, 'unit', definition.unit]);
    for (const cki of definition.cki) rows.push(['definition', definition.indicator, 'cki', cki]);
  }
  for (const field of ['method', 'threshold', 'withheld', 'flag', 'description'] as const)
    rows.push(['disclosure', '', field, disclosure[field]]);
  for (const provider of sheet.providers)
    for (const field of ['name', 'providerType', 'records', 'coverage', 'dataUntil'] as const)
      if (provider[field] !== undefined) rows.push(['provider', provider.providerId, field, provider[field]]);
  for (const field of ['number', 'previous', 'added', 'removed', 'changed'] as const)
    if (revision[field] !== undefined) rows.push(['revision', '', field, revision[field]]);
  for (const change of revision.changes) rows.push(['change', cellName(change.key), ...changeCells(change)]);
  return toCsv(['section', 'item', 'field', 'value'], rows);
}

const cellName = (key: CellChange['key']): string =>
  sortedDimensions(key)
    .map(([dim, code]) => `${dim}=${code}`)
    .join(';');

const shown = ({ value, flag }: PublishedObservation): string =>
  [value ?? '', flag ?? ''].filter((part) => part !== '').join(' ');

function changeCells(change: CellChange): [string, string] {
  switch (change.kind) {
    case 'added':
      return ['added', ` -> ${shown(change.after)}`.trimStart()];
    case 'removed':
      return ['removed', `${shown(change.before)} -> `.trimEnd()];
    case 'changed':
      return [change.fields.join('+'), `${shown(change.before)} -> ${shown(change.after)}`];
  }
}
