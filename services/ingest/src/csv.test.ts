import { describe, expect, it } from 'vitest';
import { charsetOf, parseCsvSubmission, readCsvSubmission } from './csv.js';

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

  it('reads a file with HTCDS 2.0 column names as HTCDS rows, with `;` as separator detected', () => {
    const csv =
      'recordId;prs_FirstName;prs_SecondName;prs_Birthdate;prs_Gender;vic_TypeOfExploitation;cas_IncomingReferralDate\n' +
      'case-1;Ana;Silva;03/02/2001;Feminine;ForcedLabour;2024-06-05\n';
    expect(readCsvSubmission(Buffer.from(csv), undefined).records).toEqual([
      {
        recordId: 'case-1',
        version: 1,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2024-06-05',
        fields: {
          prs_Birthdate: '03/02/2001',
          prs_Gender: 'Feminine',
          vic_TypeOfExploitation: 'ForcedLabour',
          cas_IncomingReferralDate: '2024-06-05',
        },
        identity: { givenName: 'Ana', familyName: 'Silva', dateOfBirth: '03/02/2001' },
      },
    ]);
  });

  it('refuses a header that mixes HTCDS names with MoSy field columns', () => {
    expect(() => parseCsvSubmission('recordId,prs_Gender,fields.sexo\nr1,Feminine,F\n')).toThrow(
      /Unknown CSV column\(s\): prs_Gender/,
    );
  });

  it('refuses rows of the wrong length', () => {
    expect(() => parseCsvSubmission('recordId,version\nr1,1,extra\n')).toThrow(/could not be parsed/);
  });

  describe('as spreadsheets write them', () => {
    const header =
      'recordId;version;action;kind;referenceDate;fields.sexo;fields.nacionalidade;identity.givenName';
    const row = 'r1;2;upsert;victim;2024-03;Feminino;NA;Inês';
    const expected = [
      {
        recordId: 'r1',
        version: 2,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2024-03',
        fields: { sexo: 'Feminino', nacionalidade: 'NA' },
        identity: { givenName: 'Inês' },
      },
    ];
    const latin1 = (text: string): Buffer =>
      Buffer.from(new Uint8Array([...text].map((c) => c.charCodeAt(0))));

    it('reads `;` (Excel in Portuguese, Spanish, French, German) and tab as separators, and says so', () => {
      for (const separator of [';', '\t', ','] as const) {
        const text = `${header}\n${row}\n`.replaceAll(';', separator);
        expect(readCsvSubmission(Buffer.from(text), undefined)).toEqual({
          records: expected,
          csv: { separator, encoding: 'utf-8' },
        });
      }
    });

    it('reads UTF-8 with a byte order mark and CRLF line ends', () => {
      const text = `\uFEFF${header}\r\n${row}\r\n`;
      expect(readCsvSubmission(Buffer.from(text), undefined)).toEqual({
        records: expected,
        csv: { separator: ';', encoding: 'utf-8' },
      });
    });

    it('reads Windows-1252 bytes (not valid UTF-8) as Windows-1252, and as the charset names them', () => {
      const bytes = latin1(`${header}\r\n${row}\r\n`);
      expect(bytes.includes(0xea)).toBe(true);
      expect(readCsvSubmission(bytes, undefined)).toEqual({
        records: expected,
        csv: { separator: ';', encoding: 'windows-1252' },
      });
      expect(readCsvSubmission(bytes, 'ISO-8859-1').csv.encoding).toBe('windows-1252');
      // Plain ASCII is valid UTF-8 too, but a named charset wins.
      expect(readCsvSubmission(Buffer.from('recordId\nr1\n'), 'windows-1252').csv.encoding).toBe(
        'windows-1252',
      );
    });

    it('refuses bytes that are not the UTF-8 the client named, and a charset it cannot read', () => {
      expect(() => readCsvSubmission(latin1(`${header}\n${row}\n`), 'utf-8')).toThrow(
        expect.objectContaining({
          code: 'invalid-request',
          message: expect.stringMatching(/not valid UTF-8/),
        }),
      );
      expect(() => readCsvSubmission(Buffer.from('recordId\nr1\n'), 'ebcdic')).toThrow(
        expect.objectContaining({
          code: 'unsupported-media-type',
          message: expect.stringMatching(/"ebcdic"/),
        }),
      );
    });

    it('still names unknown columns when no separator splits the header into known ones', () => {
      expect(() => readCsvSubmission(Buffer.from('colour;size\nred;L\n'), undefined)).toThrow(
        /Unknown CSV column\(s\): colour;size/,
      );
    });

    it('reads the charset parameter of a Content-Type', () => {
      expect(charsetOf('text/csv; charset=windows-1252')).toBe('windows-1252');
      expect(charsetOf('text/csv;charset="UTF-8"')).toBe('UTF-8');
      expect(charsetOf('text/csv')).toBeUndefined();
      expect(charsetOf(undefined)).toBeUndefined();
    });
  });
});
