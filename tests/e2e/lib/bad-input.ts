/**
 * Bad input for a loaded system: each request or record is wrong in one specific way and must be refused with its
 * own error code — request-level as problem+json, record-level as an issue on the record's receipt — while the valid
 * records beside it are accepted. Returns what it checked as lines (`ok` or the difference), and the one new valid
 * record it added, so the caller can add it to the truth and check that the counts still match.
 */
import { completeFields, toSubmissionCsv, type SyntheticDataset, type TruthRecord } from '@mosy/testkit';
import type { SubmittedRecord } from '@mosy/core';
import type { Client, Reply } from './client.js';
import { issueKey, type Receipt } from './load.js';

/** Maximum body of a submission (16 MiB) and records per submission, as the API documents them. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_RECORDS = 10_000;

export interface BadInputOutcome {
  /** One line per check: `ok: …` or `FAILED: …`. */
  readonly checks: readonly string[];
  /** Valid records the checks submitted, with their truth. */
  readonly added: readonly TruthRecord[];
}

interface Problem {
  readonly type?: string;
  readonly status?: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
}

export async function runBadInput(
  client: Client,
  adminToken: string,
  dataset: SyntheticDataset,
  providerKeys: ReadonlyMap<string, string>,
  coordinatorKey: string,
): Promise<BadInputOutcome> {
  const checks: string[] = [];
  const check = (what: string, ok: boolean, detail: string): void => {
    checks.push(`${ok ? 'ok' : 'FAILED'}: ${what}${ok ? '' : ` — ${detail}`}`);
  };
  const problem = (what: string, reply: Reply, status: number, code: string): void => {
    const body = reply.body as Problem | undefined;
    const ok =
      reply.status === status &&
      /^application\/problem\+json/.test(reply.contentType) &&
      body?.code === code &&
      body.status === status &&
      typeof body.type === 'string' &&
      typeof body.title === 'string' &&
      typeof body.detail === 'string';
    check(
      what,
      ok,
      `expected ${status} problem+json code ${code}, got ${reply.status} ${reply.contentType} ${reply.text.slice(0, 200)}`,
    );
  };

  const police = dataset.providers.find((p) => p.type === 'POLICE')!;
  const prosecution = dataset.providers.find((p) => p.type === 'PROSECUTION')!;
  const other = dataset.providers.find((p) => p.id !== police.id)!;
  const policeKey = providerKeys.get(police.id)!;
  const post = (key: string, body: string, contentType = 'application/json') =>
    client.request('POST', '/v1/submissions', { key, body, contentType });

  // --- Request-level errors: the whole request is refused. ---
  problem('malformed JSON', await post(policeKey, '{"records": [{"recordId": "x",'), 400, 'invalid-request');
  problem(
    'unsupported media type',
    await post(policeKey, 'recordId\nx', 'text/plain'),
    415,
    'unsupported-media-type',
  );
  problem(
    'unknown top-level field',
    await post(policeKey, JSON.stringify({ records: [], providerId: police.id, extra: true })),
    400,
    'unknown-field',
  );
  const filler = 'x'.repeat(MAX_BODY_BYTES + 1024);
  problem(
    'body over 16 MiB',
    await post(
      policeKey,
      JSON.stringify({ records: [{ recordId: 'big', fields: { observacoes: filler } }] }),
    ),
    413,
    'payload-too-large',
  );
  const many = Array.from({ length: MAX_RECORDS + 1 }, (_, i) => ({
    recordId: `many-${i}`,
    version: 1,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2024',
    fields: {},
  }));
  problem(
    'more than 10 000 records',
    await post(policeKey, JSON.stringify({ records: many })),
    413,
    'payload-too-large',
  );
  problem(
    'unknown key',
    await post('mosy_provider_not-a-real-key', '{"records":[]}'),
    401,
    'unauthenticated',
  );
  problem('no key', await client.request('GET', '/v1/status'), 401, 'unauthenticated');
  const revocable = await issueKey(client, adminToken, 'provider', police.id);
  const before = await client.request('GET', '/v1/status', { key: revocable.key });
  check('a fresh provider key works', before.status === 200, `got ${before.status}`);
  const revoked = await client.request('DELETE', `/v1/admin/keys/${revocable.id}`, { key: adminToken });
  check('revoking a key answers 204', revoked.status === 204, `got ${revoked.status}`);
  problem('revoked key', await post(revocable.key, '{"records":[]}'), 401, 'unauthenticated');
  problem('a coordinator may not submit', await post(coordinatorKey, '{"records":[]}'), 403, 'forbidden');
  problem(
    'a provider may not read indicators',
    await client.request('GET', '/v1/indicators/victims/values', { key: policeKey }),
    403,
    'forbidden',
  );
  problem(
    'a provider may not administer',
    await client.request('GET', '/v1/admin/providers', { key: policeKey }),
    403,
    'forbidden',
  );

  problem(
    'a persons unit for a cases indicator',
    await client.request('GET', '/v1/indicators/prosecutions-finalised/values?unit=persons', {
      key: coordinatorKey,
    }),
    400,
    'invalid-query',
  );
  problem(
    'a breakdown the indicator does not have',
    await client.request('GET', '/v1/indicators/suspects/values?by=status', { key: coordinatorKey }),
    400,
    'invalid-query',
  );
  problem(
    'an unknown indicator',
    await client.request('GET', '/v1/indicators/no-such-indicator/values', { key: coordinatorKey }),
    404,
    'not-found',
  );

  // --- CSV as spreadsheets write it: read, and the receipt says how. Re-sends of accepted records: no count moves. ---
  const csvProvider = dataset.providers.find((p) => p.transport === 'csv')!;
  const csvKey = providerKeys.get(csvProvider.id)!;
  const csvRecords = dataset.submissions.find((s) => s.providerId === csvProvider.id)!.records;
  const lastOf = (recordId: string) => csvRecords.findLast((r) => r.recordId === recordId)!;
  // A record whose CSV has a letter beyond ASCII, and only letters Windows-1252 shares with Latin-1 (U+00A0–U+00FF),
  // so the encoding matters and the bytes below are Windows-1252.
  const codes = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
  const accented = csvRecords
    .map((r) => lastOf(r.recordId))
    .find((r) => {
      const text = codes(toSubmissionCsv([r]));
      return text.some((c) => c >= 0xa0) && text.every((c) => c < 0x80 || (c >= 0xa0 && c <= 0xff));
    })!;
  const windows1252 = (text: string): Buffer => Buffer.from(new Uint8Array(codes(text)));
  const spreadsheetFiles: { what: string; body: Buffer; csv: { separator: string; encoding: string } }[] = [
    {
      what: 'a CSV with ; as separator in Windows-1252 (Excel, Portuguese settings)',
      body: windows1252(toSubmissionCsv([accented], ';')),
      csv: { separator: ';', encoding: 'windows-1252' },
    },
    {
      what: 'a tab-separated CSV in UTF-8 with a byte order mark and CRLF',
      body: Buffer.from(`\uFEFF${toSubmissionCsv([accented], '\t')}`),
      csv: { separator: '\t', encoding: 'utf-8' },
    },
  ];
  for (const file of spreadsheetFiles) {
    const reply = await client.request<Receipt & { csv?: unknown }>('POST', '/v1/submissions', {
      key: csvKey,
      body: file.body,
      contentType: 'text/csv',
    });
    check(
      file.what,
      reply.status === 202 &&
        reply.body.duplicates === 1 &&
        reply.body.rejected === 0 &&
        JSON.stringify(reply.body.csv) === JSON.stringify(file.csv),
      `got ${reply.status} ${reply.text.slice(0, 300)}`,
    );
  }

  // --- Record-level errors: each record refused with its reason, the valid ones accepted. ---
  const upgraded = dataset.truth.find((t) => t.providerId === police.id && t.version >= 2)!;
  const firstVersion = dataset.submissions
    .find((s) => s.providerId === police.id)!
    .records.find((r) => r.recordId === upgraded.recordId && r.version < upgraded.version)!;
  const latest = dataset.submissions
    .find((s) => s.providerId === police.id)!
    .records.findLast((r) => r.recordId === upgraded.recordId)!;
  const newRecord = (recordId: string, fields: SubmittedRecord['fields']): SubmittedRecord => ({
    recordId,
    version: 1,
    action: 'upsert',
    kind: 'victim',
    referenceDate: '2024-06-15',
    fields,
  });
  const valid = newRecord('E2E-VALID-1', {
    sexo: 'Masculino',
    idade: 30,
    estatuto: 'Identificada',
    distrito: 'Faro',
    tipo_exploracao: 'Trabalho forçado',
  });
  const batch: { record: unknown; status: string; code?: string; field?: string; what: string }[] = [
    {
      what: 'unknown record property',
      record: { ...newRecord('E2E-BAD-1', { sexo: 'Feminino' }), colour: 'blue' },
      status: 'rejected',
      code: 'unknown-field',
      field: 'colour',
    },
    {
      what: 'unknown source field',
      record: newRecord('E2E-BAD-2', { sexo: 'Feminino', cor_dos_olhos: 'verde' }),
      status: 'rejected',
      code: 'unknown-field',
      field: 'fields.cor_dos_olhos',
    },
    {
      what: 'a record naming another provider',
      record: { ...newRecord('E2E-BAD-3', { sexo: 'Feminino' }), providerId: other.id },
      status: 'rejected',
      code: 'provider-mismatch',
      field: 'providerId',
    },
    {
      what: 'a version going backwards',
      record: firstVersion,
      status: 'rejected',
      code: 'version-regression',
      field: 'version',
    },
    {
      what: 'an age that is not a number',
      record: newRecord('E2E-BAD-4', { idade: 'trinta' }),
      status: 'rejected',
      code: 'invalid-field',
      field: 'fields.idade',
    },
    {
      what: 'a reference date that is not a date',
      record: { ...newRecord('E2E-BAD-5', {}), referenceDate: '2024-13-01' },
      status: 'rejected',
      code: 'invalid-field',
      field: 'referenceDate',
    },
    {
      what: 'a reference date in the future',
      record: { ...newRecord('E2E-BAD-6', {}), referenceDate: '2031-01-01' },
      status: 'rejected',
      code: 'invalid-field',
      field: 'referenceDate',
    },
    {
      what: 'a date of birth in the future',
      record: { ...newRecord('E2E-BAD-7', {}), identity: { givenName: 'Futura', dateOfBirth: '2030-01-01' } },
      status: 'rejected',
      code: 'invalid-field',
      field: 'identity.dateOfBirth',
    },
    { what: 'a valid new record beside them', record: valid, status: 'accepted' },
    { what: 'an exact re-send of an accepted version', record: latest, status: 'duplicate' },
  ];
  const reply = await post(policeKey, JSON.stringify({ records: batch.map((b) => b.record) }));
  const receipt = reply.body as Receipt | undefined;
  check(
    'a mixed submission is answered 202',
    reply.status === 202,
    `got ${reply.status} ${reply.text.slice(0, 300)}`,
  );
  batch.forEach((expected, index) => {
    const got = receipt?.records.find((r) => r.index === index);
    const issue = got?.issues?.find((i) => i.code === expected.code && i.field === expected.field);
    const ok = got?.status === expected.status && (expected.code === undefined || issue !== undefined);
    check(
      expected.what,
      ok,
      `expected ${expected.status} ${expected.code ?? ''} ${expected.field ?? ''}, got ${JSON.stringify(got)}`,
    );
  });
  // Counted from the table above: one accepted, one duplicate, every other row rejected.
  const expected = (status: string): number => batch.filter((b) => b.status === status).length;
  check(
    'receipt counts',
    receipt?.accepted === expected('accepted') &&
      receipt.duplicates === expected('duplicate') &&
      receipt.rejected === expected('rejected'),
    `got ${JSON.stringify({ accepted: receipt?.accepted, duplicates: receipt?.duplicates, rejected: receipt?.rejected })}`,
  );
  if (receipt !== undefined) {
    const again = await client.request<Receipt>('GET', `/v1/submissions/${receipt.submissionId}`, {
      key: policeKey,
    });
    check(
      'the receipt can be read back by its provider',
      again.status === 200 &&
        again.body.accepted === expected('accepted') &&
        again.body.rejected === expected('rejected'),
      `got ${again.status} ${again.text.slice(0, 200)}`,
    );
    const foreign = await client.request('GET', `/v1/submissions/${receipt.submissionId}`, {
      key: providerKeys.get(other.id)!,
    });
    check('another provider cannot read it', foreign.status === 404, `got ${foreign.status}`);
  }

  const strict = await post(
    providerKeys.get(prosecution.id)!,
    JSON.stringify({
      records: [
        {
          recordId: 'E2E-BAD-6',
          version: 1,
          action: 'upsert',
          kind: 'prosecuted',
          referenceDate: '2024-02-02',
          fields: { sexo: 'Z' },
        },
      ],
    }),
  );
  const strictRecord = (strict.body as Receipt | undefined)?.records[0];
  check(
    'a code the mapping does not map, under a reject policy',
    strict.status === 202 &&
      strictRecord?.status === 'rejected' &&
      strictRecord.issues?.some((i) => i.code === 'unmapped-value' && i.field === 'fields.sexo') === true,
    `got ${strict.status} ${strict.text.slice(0, 300)}`,
  );

  const added: TruthRecord = {
    providerId: police.id,
    providerType: police.type,
    recordId: valid.recordId,
    kind: 'victim',
    withdrawn: false,
    personKey: `R${police.id}/${valid.recordId}`,
    referenceDate: valid.referenceDate,
    fields: completeFields('victim', {
      status: 'IDENTIFIED',
      sex: 'M',
      ageGroup: '25-34',
      exploitation: ['LAB'],
      regionOfIdentification: 'PT150',
    }),
    version: 1,
  };
  return { checks, added: [added] };
}
