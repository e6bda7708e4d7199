import { describe, expect, it } from 'vitest';
import { findIndicator } from '../indicators/catalogue.js';
import { metadataSheet, metadataSheetCsv, metadataSheetJson } from './metadata-sheet.js';
import type { MetadataSheetInput } from './metadata-sheet.js';
import { diffReportVersions } from './revision-diff.js';

const victims = findIndicator('victims')!;

const input = (over: Partial<MetadataSheetInput> = {}): MetadataSheetInput => ({
  reportingCountry: 'PT',
  period: '2026-Q1',
  yearToDate: '2026-01-01/2026-03-31',
  revision: 0,
  builtAt: '2026-04-15T06:00:00.000Z',
  indicators: [victims],
  disclosure: { threshold: 5, withheld: 7 },
  providers: [
    { providerId: 'police', name: 'Police, "national"', providerType: 'LE', records: 120, coverage: 1 },
    { providerId: 'ngo-1', name: 'NGO 1', providerType: 'NGO', records: 14 },
  ],
  ...over,
});

describe('metadataSheet', () => {
  it('takes the definitions from the catalogue and says how values were protected', () => {
    const sheet = metadataSheet(input());
    expect(sheet.report).toEqual({
      title: 'Trafficking in human beings: EU Common Key Indicators, PT, 2026-Q1',
      reportingCountry: 'PT',
      period: '2026-Q1',
      yearToDate: '2026-01-01/2026-03-31',
      revision: 0,
      builtAt: '2026-04-15T06:00:00.000Z',
    });
    expect(sheet.definitions).toEqual([
      {
        indicator: 'victims',
        label: victims.label,
        description: victims.description,
        unit: 'persons',
        cki: victims.cki.map((c) => `${c.ref} ${c.label}`),
      },
    ]);
    expect(sheet.definitions[0]!.cki).toContain('1.3 by gender');
    expect(sheet.disclosure).toMatchObject({ method: 'suppression', threshold: 5, withheld: 7, flag: 'c' });
    expect(sheet.disclosure.description).toContain('from 1 to 4');
    expect(sheet.providers).toHaveLength(2);
    expect(sheet.revision).toEqual({ number: 0, added: 0, removed: 0, changed: 0, changes: [] });
  });

  it('says what changed since the previous version, in JSON and in CSV', () => {
    const key = (sex: string) => ({ period: '2026-Q1', indicator: 'victims', sex });
    const changes = diffReportVersions(
      [
        { key: key('F'), value: 12 },
        { key: key('M'), value: null, flag: 'c' },
        { key: key('UNK'), value: 5 },
      ],
      [
        { key: key('F'), value: null, flag: 'c' },
        { key: key('M'), value: 9 },
        { key: key('T'), value: 30 },
      ],
    );
    const sheet = metadataSheet(input({ revision: 2, changes }));
    expect(sheet.revision).toMatchObject({ number: 2, previous: 1, added: 1, removed: 1, changed: 2 });
    expect(JSON.parse(metadataSheetJson(sheet))).toEqual(sheet);

    const csv = metadataSheetCsv(sheet);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,item,field,value');
    expect(lines.at(-1)).toBe('');
    expect(lines).toContain('report,,revision,2');
    expect(lines).toContain('definition,victims,cki,1.3 by gender');
    expect(lines).toContain('disclosure,,threshold,5');
    expect(lines).toContain('provider,police,name,"Police, ""national"""');
    expect(lines).toContain('provider,police,coverage,1');
    expect(lines.filter((l) => l.startsWith('provider,ngo-1,'))).toEqual([
      'provider,ngo-1,name,NGO 1',
      'provider,ngo-1,providerType,NGO',
      'provider,ngo-1,records,14',
    ]);
    expect(lines).toContain('revision,,previous,1');
    expect(lines.filter((l) => l.startsWith('change,'))).toEqual([
      'change,indicator=victims;period=2026-Q1;sex=F,value+flag,12 -> c',
      'change,indicator=victims;period=2026-Q1;sex=M,value+flag,c -> 9',
      // A cell beginning with "-" would be read as a formula by a spreadsheet: written as text (csvField).
      `change,indicator=victims;period=2026-Q1;sex=T,added,"'-> 30"`,
      'change,indicator=victims;period=2026-Q1;sex=UNK,removed,5 ->',
    ]);
  });
});
