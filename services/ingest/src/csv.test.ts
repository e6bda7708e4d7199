import { describe, expect, it } from 'vitest';
import { parseCsvSubmission } from './csv.js';

describe('CSV submissions', () => {
  it('reads envelope, fields and identity columns; empty cells are absent; codes stay strings', () => {
    const csv =
      'recordId,version,action,kind,referenceDate,fields.sexo,fields.nacionalidade,identity.givenName\n' +
      'r1,2,upsert,victim,2024-03,Feminino,NA,Ana\n' +
      'r2,1,withdraw,victim,2024,,,\n';
    expect(parseCsvSubmission(csv)).toEqual([
      {
        recordId: 'r1',
        version: 2,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2024-03',
        fields: { sexo: 'Feminino', nacionalidade: 'NA' },
        identity: { givenName: 'Ana' },
      },
      { recordId: 'r2', version: 1, action: 'withdraw', kind: 'victim', referenceDate: '2024', fields: {} },
    ]);
  });

  it('keeps a non-numeric version as text so validation can name it', () => {
    const [record] = parseCsvSubmission(
      'recordId,version,action,kind,referenceDate\nr1,two,upsert,victim,2024\n',
    );
    expect(record?.version).toBe('two');
  });

  it('refuses unknown columns, naming them', () => {
    expect(() => parseCsvSubmission('recordId,version,colour\nr1,1,red\n')).toThrow(
      /Unknown CSV column\(s\): colour/,
    );
  });

  it('refuses rows of the wrong length', () => {
    expect(() => parseCsvSubmission('recordId,version\nr1,1,extra\n')).toThrow(/could not be parsed/);
  });
});
