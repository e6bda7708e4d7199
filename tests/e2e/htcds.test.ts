/**
 * HTCDS 2.0 built in, through the whole embedded pipeline over HTTP: providers registered with `"mapping":
 * "htcds-2.0"` submit a synthetic HTCDS case file as CSV with HTCDS column names (one provider) and as JSON records
 * whose fields carry HTCDS names (another), and IOM's own Excel template, filled with a few rows by this test at run
 * time from `../shared/external/htcds-2.0` (`MOSY_HTCDS_DIR`) and written to a temporary file, is uploaded as .xlsx
 * (a third). The victim counts by status, sex, age group, citizenship, exploitation, means of control and labour
 * sector must equal the counts computed from the file with the test's own tables (lib/htcds-file.ts); a workbook
 * that is not the template is refused with `invalid-workbook`, an unknown built-in mapping name with
 * `invalid-field`. Last, no identity of the files (the generated family names, dates of birth and e-mail addresses)
 * is in any response of any GET operation as any role, in any file of the data folder but the submissions log, nor
 * there once consumed and retained, nor in any DuckDB table (as privacy-embedded.test.ts does for its canaries).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { startStandalone, type Standalone } from '@mosy/standalone';
import { sweepApi } from './lib/canaries.js';
import { createClient, expectStatus, type Client } from './lib/client.js';
import { dumpDuckDb } from './lib/duckdb-dump.js';
import { findLeaks, tempFile } from './lib/leaks.js';
import { HTCDS_COLUMNS, expectedCodesOf, htcdsCsv, htcdsRows, type HtcdsRow } from './lib/htcds-file.js';
import { waitIdle } from './lib/load.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HTCDS_DIR = resolve(
  process.env.MOSY_HTCDS_DIR ?? join(REPO_ROOT, '..', 'shared', 'external', 'htcds-2.0'),
);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ADMIN_TOKEN = `htcds-admin-${process.pid}-${Date.now()}`;
const REGISTERED = new Set(['IDENTIFIED', 'PRESUMED']);
const BREAKDOWNS = [
  'status',
  'sex',
  'ageGroup',
  'citizenship',
  'exploitation',
  'meansOfControl',
  'labourSector',
];

const CSV_ROWS = htcdsRows(1200, 2026, 'csv');
const JSON_ROWS = htcdsRows(400, 7, 'json');
const XLSX_ROWS = htcdsRows(6, 12, 'xlsx');
const RETENTION_MS = 200;

/** Every identity value the files carry, as sent and as a normaliser would write it (see lib/leaks.ts). */
function identityNeedles(rows: readonly HtcdsRow[]): string[] {
  const needles = new Set<string>();
  for (const row of rows) {
    for (const value of [row.prs_SecondName, row.prs_Email])
      if (value !== '')
        for (const form of [value, value.toLowerCase(), value.toUpperCase()]) needles.add(form);
    needles.add(
      [row.prs_FirstName, row.prs_SecondName]
        .map((t) => t.toLowerCase())
        .sort()
        .join(' '),
    );
    const birth = row.prs_Birthdate;
    if (birth === '') continue;
    needles.add(birth);
    const dmy = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(birth);
    if (dmy !== null) needles.add(`${dmy[3]}-${dmy[2]}-${dmy[1]}`);
  }
  return [...needles];
}

/** Victim counts of rows by one field: registered victims only, a person once per code, and the total. */
function expectedCounts(
  rows: readonly HtcdsRow[],
  field: string,
): { cells: Record<string, number>; total: number } {
  const cells: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    const codes = expectedCodesOf(row);
    if (!REGISTERED.has(codes.status as string)) continue;
    total += 1;
    for (const code of ([] as string[]).concat(codes[field]!)) cells[code] = (cells[code] ?? 0) + 1;
  }
  return { cells, total };
}

/** The record of a row as a JSON submission: the MoSy envelope, HTCDS fields, identity in its own block. */
function jsonRecordOf(row: HtcdsRow): Record<string, unknown> {
  const fields: Record<string, string> = {};
  for (const column of HTCDS_COLUMNS)
    if (!['recordId', 'prs_FirstName', 'prs_SecondName'].includes(column) && row[column] !== '')
      fields[column] = row[column];
  return {
    recordId: row.recordId,
    version: 1,
    action: 'upsert',
    kind: 'victim',
    referenceDate: row.cas_IncomingReferralDate,
    fields,
    identity: {
      givenName: row.prs_FirstName,
      familyName: row.prs_SecondName,
      ...(row.prs_Birthdate === '' ? {} : { dateOfBirth: row.prs_Birthdate }),
    },
  };
}

/** IOM's template with the rows written under its two header rows, saved to `path`. */
async function fillTemplate(rows: readonly HtcdsRow[], path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(HTCDS_DIR, 'HTCDS Excel Spreadsheet v2.0.xlsx'));
  const sheet = workbook.worksheets[0]!;
  const columnOf = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, column) => columnOf.set(cell.text, column));
  rows.forEach((row, i) => {
    const cells = sheet.getRow(3 + i);
    for (const column of HTCDS_COLUMNS) {
      if (column === 'recordId' || row[column] === '') continue;
      // Dates as Excel dates, as a person typing them gets; the rest as text.
      const date = /Date$/.test(column) && /^\d{4}-\d{2}-\d{2}$/.test(row[column]);
      cells.getCell(columnOf.get(column)!).value = date ? new Date(`${row[column]}T00:00:00Z`) : row[column];
    }
  });
  await workbook.xlsx.writeFile(path);
}

describe('HTCDS 2.0 built in: CSV, JSON and the Excel template through the embedded runtime', () => {
  let app: Standalone;
  let client: Client;
  let root: string;
  let reader: string;
  let analyst: string;
  let jsonSubmission: string;
  let closed = false;
  const keys = new Map<string, string>();

  const register = async (id: string, mapping: unknown) =>
    client.request<{ key: string }>('POST', '/v1/admin/providers', {
      key: ADMIN_TOKEN,
      json: { id, type: 'NGO', name: `HTCDS test ${id}`, mapping },
    });

  const victims = async (provider: string, by: string) => {
    const reply = await client.request<{ cells: Record<string, string | number>[]; total: number }>(
      'GET',
      `/v1/indicators/victims/values?providers=${provider}&by=${by}&protection=none`,
      { key: reader },
    );
    const body = expectStatus(reply, 200, `victims of ${provider} by ${by}`);
    return {
      cells: Object.fromEntries(body.cells.map((cell) => [String(cell[by]), cell.value as number])),
      total: body.total,
    };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mosy-htcds-'));
    app = await startStandalone({
      dataDir: join(root, 'data'),
      port: 0,
      adminToken: ADMIN_TOKEN,
      pseudonymSecret: 'htcds-test-pseudonym-secret-of-at-least-32-bytes',
      logger: createLogger({ name: 'mosy', level: 'warn' }),
      logConsumedRetentionMs: RETENTION_MS,
      hardening: { rateLimitPerMinute: 1_000_000 },
    });
    client = createClient(app.url);
    for (const id of ['htcds-csv', 'htcds-json', 'htcds-xlsx'])
      keys.set(id, expectStatus(await register(id, 'htcds-2.0'), 201, `register ${id}`).key);
    reader = expectStatus(
      await client.request<{ key: string }>('POST', '/v1/admin/keys', {
        key: ADMIN_TOKEN,
        json: { role: 'coordinator', label: 'htcds test' },
      }),
      201,
      'coordinator key',
    ).key;
    analyst = expectStatus(
      await client.request<{ key: string }>('POST', '/v1/admin/keys', {
        key: ADMIN_TOKEN,
        json: { role: 'analyst', label: 'htcds test' },
      }),
      201,
      'analyst key',
    ).key;
  }, 60_000);

  afterAll(async () => {
    if (!closed) await app?.close();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('refuses an unknown built-in mapping name', async () => {
    const reply = await register('htcds-unknown', 'htcds-9.9');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      code: 'invalid-request',
      issues: [{ field: 'mapping', code: 'invalid-field' }],
    });
  });

  it('accepts every row of the CSV file, the JSON records and the filled-in template', async () => {
    const csv = expectStatus(
      await client.request<{ accepted: number; rejected: number }>('POST', '/v1/submissions', {
        key: keys.get('htcds-csv')!,
        body: htcdsCsv(CSV_ROWS),
        contentType: 'text/csv',
      }),
      202,
      'CSV',
    );
    expect(csv).toMatchObject({ accepted: CSV_ROWS.length, rejected: 0 });
    const json = expectStatus(
      await client.request<{ submissionId: string; accepted: number; rejected: number }>(
        'POST',
        '/v1/submissions',
        {
          key: keys.get('htcds-json')!,
          json: { records: JSON_ROWS.map(jsonRecordOf) },
        },
      ),
      202,
      'JSON',
    );
    expect(json).toMatchObject({ accepted: JSON_ROWS.length, rejected: 0 });
    jsonSubmission = json.submissionId;
    const path = join(root, 'filled-template.xlsx');
    await fillTemplate(XLSX_ROWS, path);
    const xlsx = expectStatus(
      await client.request<{ accepted: number; rejected: number; records: { recordId: string }[] }>(
        'POST',
        '/v1/submissions',
        { key: keys.get('htcds-xlsx')!, body: readFileSync(path), contentType: XLSX },
      ),
      202,
      'xlsx',
    );
    expect(xlsx).toMatchObject({ accepted: XLSX_ROWS.length, rejected: 0 });
    expect(xlsx.records.map((r) => r.recordId)).toEqual(XLSX_ROWS.map((_, i) => `row-${i + 1}`));
    await waitIdle(client, reader);
  }, 120_000);

  for (const [provider, rows] of [
    ['htcds-csv', CSV_ROWS],
    ['htcds-json', JSON_ROWS],
    ['htcds-xlsx', XLSX_ROWS],
  ] as const)
    it(`counts ${provider}'s victims exactly as the file says, in every breakdown`, async () => {
      for (const by of BREAKDOWNS) expect(await victims(provider, by), by).toEqual(expectedCounts(rows, by));
    });

  it('refuses a date of birth that cannot be read or lies ahead without quoting it, in the reply or the receipt', async () => {
    const births = ['1990-13-05', '2031-07-19'];
    const records = births.map((birth, i) => ({
      recordId: `bad-birth-${i}`,
      version: 1,
      action: 'upsert',
      kind: 'victim',
      referenceDate: '2024-05-01',
      fields: { vic_TraffickingStatus: 'ActualVictimOfTrafficking', prs_Birthdate: birth },
    }));
    const reply = await client.request<{ submissionId: string; rejected: number; records: unknown[] }>(
      'POST',
      '/v1/submissions',
      { key: keys.get('htcds-json')!, json: { records } },
    );
    const receipt = expectStatus(reply, 202, 'bad dates of birth');
    expect(receipt.rejected).toBe(2);
    expect(receipt.records).toMatchObject([
      { status: 'rejected', issues: [{ field: 'fields.prs_Birthdate', code: 'invalid-field' }] },
      { status: 'rejected', issues: [{ field: 'fields.prs_Birthdate', code: 'invalid-field' }] },
    ]);
    const stored = expectStatus(
      await client.request('GET', `/v1/submissions/${receipt.submissionId}`, {
        key: keys.get('htcds-json')!,
      }),
      200,
      'stored receipt',
    );
    for (const text of [JSON.stringify(receipt), JSON.stringify(stored)])
      for (const part of [...births, '1990', '2031']) expect(text).not.toContain(part);
  });

  it('refuses a workbook that is not the template, whole, with invalid-workbook', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['Name', 'Gender', 'Status']);
    const path = join(root, 'other.xlsx');
    await other.xlsx.writeFile(path);
    const reply = await client.request('POST', '/v1/submissions', {
      key: keys.get('htcds-xlsx')!,
      body: readFileSync(path),
      contentType: XLSX,
    });
    expect(reply.status).toBe(400);
    expect(reply.contentType).toMatch(/problem\+json/);
    expect(reply.body).toMatchObject({ code: 'invalid-workbook' });
  });

  it('leaves no identity in any response, in the data folder past the submissions log, or in any table', async () => {
    const dataDir = join(root, 'data');
    const needles = [
      ...identityNeedles([...CSV_ROWS, ...JSON_ROWS, ...XLSX_ROWS]),
      '1990-13-05',
      '2031-07-19',
    ];
    expect(needles.length).toBeGreaterThan(3000);
    // The search is not blind: a needle is found where it is.
    expect(await findLeaks(needles, [tempFile('probe.bin', `\u0000${needles[0]!}\u0000`)])).toHaveLength(1);

    const { ok } = await sweepApi(client, {
      keys: {
        provider: keys.get('htcds-json')!,
        providerId: 'htcds-json',
        analyst,
        coordinator: reader,
        admin: ADMIN_TOKEN,
      },
      submissionIds: [jsonSubmission],
    });
    expect(ok).toBeGreaterThan(60);
    expect(await findLeaks(needles, [tempFile('responses.txt', client.bodies.join('\n'))])).toEqual([]);

    const inLog = (leak: string) => relative(dataDir, leak).startsWith(join('log', 'submissions'));
    expect((await findLeaks(needles, [dataDir])).filter((leak) => !inLog(leak))).toEqual([]);
    // The consumed submissions log is deleted within the retention of its last read: poll, with room to spare.
    const deadline = Date.now() + RETENTION_MS + 30_000;
    let left = await findLeaks(needles, [dataDir]);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await findLeaks(needles, [dataDir]);
    }
    expect(left).toEqual([]);

    closed = true;
    await app.close();
    const dump = await dumpDuckDb(join(dataDir, 'mosy.duckdb'), root);
    expect(dump.rows).toBeGreaterThan(CSV_ROWS.length);
    expect(await findLeaks(needles, [dataDir, dump.file])).toEqual([]);
  }, 180_000);
});
