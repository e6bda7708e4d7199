/**
 * Reading IOM's HTCDS 2.0 Excel template: the template itself (read at run time from `MOSY_HTCDS_DIR`, default
 * `../shared/external/htcds-2.0` beside the repository; never copied into it) filled with a few rows by this test,
 * a workbook that is not the template, bytes that are not a workbook, and a column the standard does not have.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './routes.js';
import { readHtcdsWorkbook } from './xlsx.js';

const LIMITS = DEFAULT_LIMITS;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TEMPLATE = join(
  resolve(process.env.MOSY_HTCDS_DIR ?? join(REPO_ROOT, '..', 'shared', 'external', 'htcds-2.0')),
  'HTCDS Excel Spreadsheet v2.0.xlsx',
);

/** The template with `rows` written under its header rows, cell by field name, as a workbook's bytes. */
async function filledTemplate(rows: readonly Record<string, ExcelJS.CellValue>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(TEMPLATE) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const columnOf = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, column) => columnOf.set(cell.text, column));
  rows.forEach((row, i) => {
    for (const [field, value] of Object.entries(row))
      sheet.getRow(3 + i).getCell(columnOf.get(field)!).value = value;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('readHtcdsWorkbook', () => {
  it("reads the rows filled into IOM's template and skips its empty numbered rows", async () => {
    const bytes = await filledTemplate([
      {
        prs_FirstName: 'Olena',
        prs_SecondName: 'Kovalenko',
        prs_Birthdate: new Date(Date.UTC(1998, 2, 14)),
        prs_Gender: 'Feminine',
        prs_Citizenship: 'UA',
        vic_TraffickingStatus: 'Actual victim of trafficking',
        vic_TypeOfExploitation: 'SexualExploitation;ForcedLabour',
        cas_IncomingReferralDate: new Date(Date.UTC(2024, 4, 2)),
        prs_Email: 'olena@example.org',
      },
      {},
      {
        prs_Gender: 'Masculine',
        vic_TraffickingStatus: 'PossibleVictimOfTrafficking',
        cas_IncomingReferralDate: '2024-06-30',
        vic_MethodsOfControl: 'DebtBondage',
      },
    ]);
    expect(await readHtcdsWorkbook(bytes, LIMITS)).toEqual([
      {
        recordId: 'row-1',
        version: 1,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2024-05-02',
        fields: {
          prs_Birthdate: '1998-03-14',
          prs_Gender: 'Feminine',
          prs_Citizenship: 'UA',
          vic_TraffickingStatus: 'Actual victim of trafficking',
          vic_TypeOfExploitation: 'SexualExploitation;ForcedLabour',
          cas_IncomingReferralDate: '2024-05-02',
          prs_Email: 'olena@example.org',
        },
        identity: { givenName: 'Olena', familyName: 'Kovalenko', dateOfBirth: '1998-03-14' },
      },
      {
        recordId: 'row-3',
        version: 1,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2024-06-30',
        fields: {
          prs_Gender: 'Masculine',
          vic_TraffickingStatus: 'PossibleVictimOfTrafficking',
          cas_IncomingReferralDate: '2024-06-30',
          vic_MethodsOfControl: 'DebtBondage',
        },
      },
    ]);
  });

  it('refuses a workbook that is not the template, and bytes that are not a workbook', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Budget').addRow(['item', 'amount']);
    const bytes = Buffer.from(await other.xlsx.writeBuffer());
    await expect(readHtcdsWorkbook(bytes, LIMITS)).rejects.toMatchObject({
      code: 'invalid-workbook',
      message: expect.stringMatching(/not IOM’s HTCDS 2.0 Excel template/),
    });
    await expect(readHtcdsWorkbook(Buffer.from('recordId,version\n'), LIMITS)).rejects.toMatchObject({
      code: 'invalid-workbook',
    });
  });

  it('reads a whole number 1900–2100 in a date column as a year, larger ones as serial days, booleans as Excel shows them', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('cases');
    sheet.addRow([
      'prs_Gender',
      'vic_TraffickingStatus',
      'prs_Birthdate',
      'cas_IncomingReferralDate',
      'prs_Email',
    ]);
    // 45414 is 2024-05-02 in the 1900 date system; 1998 and 2024 are years as a person types them.
    sheet.addRow(['Feminine', 'ActualVictimOfTrafficking', 1998, 45414, 1e21]);
    sheet.addRow(['Feminine', 'ActualVictimOfTrafficking', 1900, 2024, true]);
    const records = await readHtcdsWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), LIMITS);
    expect(records).toMatchObject([
      {
        referenceDate: '2024-05-02',
        fields: { prs_Birthdate: '1998', cas_IncomingReferralDate: '2024-05-02', prs_Email: '1e+21' },
      },
      {
        referenceDate: '2024',
        fields: { prs_Birthdate: '1900', cas_IncomingReferralDate: '2024', prs_Email: 'TRUE' },
      },
    ]);
  });

  it('refuses a workbook that would unpack far beyond the body limit before loading it, and one with too many rows', async () => {
    const bomb = new ExcelJS.Workbook();
    const sheet = bomb.addWorksheet('cases');
    sheet.addRow(['prs_Gender', 'vic_TraffickingStatus', 'vic_TypeOfExploitation']);
    // 8 MiB of one letter deflates to a few kilobytes.
    sheet.addRow(['Feminine', 'ActualVictimOfTrafficking', 'x'.repeat(8 * 1024 * 1024)]);
    const bytes = Buffer.from(await bomb.xlsx.writeBuffer());
    expect(bytes.length).toBeLessThan(64 * 1024);
    await expect(readHtcdsWorkbook(bytes, { maxBodyBytes: 64 * 1024, maxRecords: 10 })).rejects.toMatchObject(
      {
        code: 'payload-too-large',
        message: expect.stringMatching(/unpacks to more than 524288 bytes/),
      },
    );

    const many = new ExcelJS.Workbook();
    const rows = many.addWorksheet('cases');
    rows.addRow(['prs_Gender', 'vic_TraffickingStatus', 'vic_TypeOfExploitation']);
    for (let i = 0; i < 4; i++) rows.addRow(['Feminine', 'ActualVictimOfTrafficking', 'ForcedLabour']);
    const four = Buffer.from(await many.xlsx.writeBuffer());
    expect(await readHtcdsWorkbook(four, { maxBodyBytes: LIMITS.maxBodyBytes, maxRecords: 4 })).toHaveLength(
      4,
    );
    await expect(
      readHtcdsWorkbook(four, { maxBodyBytes: LIMITS.maxBodyBytes, maxRecords: 3 }),
    ).rejects.toMatchObject({
      code: 'payload-too-large',
      message: expect.stringMatching(/at most 3 records/),
    });
  });

  it('refuses a column the standard does not have', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('cases');
    sheet.addRow(['prs_Gender', 'vic_TraffickingStatus', 'vic_TypeOfExploitation', 'notes']);
    sheet.addRow(['Feminine', 'ActualVictimOfTrafficking', 'ForcedLabour', 'free text']);
    await expect(
      readHtcdsWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), LIMITS),
    ).rejects.toMatchObject({
      code: 'unknown-field',
      message: expect.stringMatching(/notes/),
    });
  });
});
