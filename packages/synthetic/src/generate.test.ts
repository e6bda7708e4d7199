import { describe, it, expect } from 'vitest';
import {
  applyMapping,
  nutsLevel,
  personKeyOf,
  validateSubmittedRecord,
  type SubmittedRecord,
} from '@mosy/core';
import { generateDataset } from './generate.js';
import { SYNTHETIC_PREFIX } from './providers/profile.js';
import { sensitiveValues } from './sensitive.js';
import { toSubmissionCsv } from './csv.js';
import type { SyntheticDataset, TruthRecord } from './types.js';

const dataset = generateDataset({ seed: 7, persons: 600 });

const lastVersions = (ds: SyntheticDataset): Map<string, SubmittedRecord[]> => {
  const out = new Map<string, SubmittedRecord[]>();
  for (const { providerId, records } of ds.submissions)
    for (const record of records) {
      const key = `${providerId}/${record.recordId}`;
      out.set(key, [...(out.get(key) ?? []), record]);
    }
  return out;
};
const byRecord = lastVersions(dataset);
const versionsOf = (t: TruthRecord): SubmittedRecord[] => byRecord.get(`${t.providerId}/${t.recordId}`)!;
const lastUpsertOf = (t: TruthRecord): SubmittedRecord =>
  versionsOf(t).findLast((r) => r.action === 'upsert')!;

describe('generateDataset', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateDataset({ seed: 7, persons: 600 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(dataset));
    const other = generateDataset({ seed: 8, persons: 600 });
    expect(JSON.stringify(other.truth)).not.toBe(JSON.stringify(dataset.truth));
  });

  it('labels everything as synthetic', () => {
    expect(dataset.synthetic).toBe(true);
    expect(dataset.providers).toHaveLength(6);
    for (const provider of dataset.providers) {
      expect(provider.name.startsWith(SYNTHETIC_PREFIX)).toBe(true);
      expect(provider.mapping.description).toMatch(/^SYNTHETIC DEMO/);
    }
    expect(new Set(dataset.providers.map((p) => p.type))).toEqual(
      new Set(['POLICE', 'NGO', 'SHELTER', 'LABOUR_INSPECTION', 'PROSECUTION', 'HOTLINE']),
    );
  });

  it('sends the versions of a record in increasing order, repeating one only as an exact re-send', () => {
    let resends = 0;
    for (const versions of byRecord.values()) {
      versions.forEach((record, i) => {
        if (i === 0) {
          expect(record.action).toBe('upsert');
          return;
        }
        const previous = versions[i - 1]!;
        if (record.version === previous.version) {
          expect(record).toBe(previous);
          resends++;
        } else expect(record.version).toBeGreaterThan(previous.version);
      });
    }
    expect(resends).toBeGreaterThan(0);
  });

  it('keeps one truth record per record, with the last version and the withdrawal state', () => {
    expect(dataset.truth).toHaveLength(byRecord.size);
    for (const t of dataset.truth) {
      const versions = versionsOf(t);
      const last = versions[versions.length - 1]!;
      expect(t.version).toBe(last.version);
      expect(t.withdrawn).toBe(last.action === 'withdraw');
      expect(t.referenceDate).toBe(lastUpsertOf(t).referenceDate);
    }
  });

  it('writes records that pass envelope validation', () => {
    for (const { providerId, records } of dataset.submissions)
      for (const record of records)
        expect(validateSubmittedRecord(record, 0, providerId, '2100-12-31').issues).toEqual([]);
  });

  it("agrees with the mapping engine: each provider's record maps to the truth's canonical fields", () => {
    const mappings = new Map(dataset.providers.map((p) => [p.id, p.mapping]));
    let unmapped = 0;
    for (const t of dataset.truth) {
      for (const record of versionsOf(t).filter((r) => r.action === 'upsert')) {
        const result = applyMapping(mappings.get(t.providerId)!, record, {
          referenceYear: Number(record.referenceDate.slice(0, 4)),
        });
        expect(result.issues).toEqual([]);
        unmapped += result.unmapped.length;
      }
      const result = applyMapping(mappings.get(t.providerId)!, lastUpsertOf(t), {
        referenceYear: Number(t.referenceDate.slice(0, 4)),
      });
      expect({ id: t.recordId, fields: result.fields }).toEqual({ id: t.recordId, fields: t.fields });
    }
    expect(unmapped).toBeGreaterThan(5);
  });

  it("gives each true person one pseudonym whatever the provider's spelling, and distinct persons distinct ones", () => {
    const secret = 'x'.repeat(32);
    const keyOfPerson = new Map<string, string>();
    const personOfKey = new Map<string, string>();
    let shared = 0;
    for (const t of dataset.truth) {
      for (const record of versionsOf(t).filter((r) => r.action === 'upsert')) {
        const key = personKeyOf({
          secret,
          providerId: t.providerId,
          recordId: record.recordId,
          identity: record.identity,
        });
        expect(key.startsWith(t.personKey.startsWith('P') ? 'p:' : 'r:')).toBe(true);
        const known = keyOfPerson.get(t.personKey);
        if (known === undefined) keyOfPerson.set(t.personKey, key);
        else {
          expect(key).toBe(known);
          shared++;
        }
        expect(personOfKey.get(key) ?? t.personKey).toBe(t.personKey);
        personOfKey.set(key, t.personKey);
      }
    }
    expect(shared).toBeGreaterThan(100);
  });

  it('covers what the pipeline must handle', () => {
    const live = dataset.truth.filter((t) => !t.withdrawn);
    const values = (field: keyof TruthRecord['fields']): Set<string> =>
      new Set(live.flatMap((t) => [t.fields[field] ?? []].flat()));
    expect(new Set(live.map((t) => t.kind))).toEqual(
      new Set(['victim', 'suspect', 'prosecuted', 'convicted', 'prosecution']),
    );
    expect(values('status')).toEqual(
      new Set(['IDENTIFIED', 'PRESUMED', 'FLAGGED', 'PENDING', 'NOT_CONFIRMED']),
    );
    expect(values('sex')).toEqual(new Set(['F', 'M', 'X', 'UNK']));
    for (const group of ['child', 'adult', 'UNK', '0-11', '12-15', '16-17', '18-24', '65+'])
      expect(values('ageGroup')).toContain(group);
    expect(values('outcome')).toEqual(
      new Set(['FINALISED_CONVICTION', 'FINALISED_ACQUITTAL', 'FINALISED_OTHER', 'ONGOING']),
    );
    expect(values('citizenship')).toContain('STLS');
    expect(values('citizenship')).toContain('NA');
    expect(live.some((t) => (t.fields.citizenship?.length ?? 0) > 1)).toBe(true);
    expect(live.some((t) => (t.fields.exploitation?.length ?? 0) > 1)).toBe(true);
    const levels = new Set([...values('regionOfIdentification')].filter((c) => c !== 'UNK').map(nutsLevel));
    expect(levels).toEqual(new Set([0, 1, 2, 3]));
    expect(values('regionOfIdentification')).toContain('NG');
    expect(values('regionOfExploitation')).toContain('EL');
    const precisions = new Set(live.map((t) => t.referenceDate.length));
    expect(precisions).toEqual(new Set([4, 7, 10]));
    expect(dataset.truth.filter((t) => t.withdrawn).length).toBeGreaterThan(10);
    expect(dataset.truth.filter((t) => t.version >= 3).length).toBeGreaterThan(5);
    expect(live.filter((t) => t.personKey.startsWith('R')).length).toBeGreaterThan(300);
    const providersOfPerson = new Map<string, Set<string>>();
    for (const t of live.filter((r) => r.kind === 'victim' && r.personKey.startsWith('P')))
      providersOfPerson.set(t.personKey, (providersOfPerson.get(t.personKey) ?? new Set()).add(t.providerId));
    expect([...providersOfPerson.values()].filter((s) => s.size > 1).length).toBeGreaterThan(50);
    const years = new Set(live.map((t) => Number(t.referenceDate.slice(0, 4))));
    expect(years).toEqual(new Set([2023, 2024, 2025]));
  });

  it('lists identity values and notes as sensitive, and no non-personal field', () => {
    const sensitive = sensitiveValues(dataset);
    const identity = dataset.submissions
      .flatMap((s) => s.records)
      .find((r) => r.identity !== undefined)!.identity!;
    for (const value of Object.values(identity)) expect(sensitive).toContain(value);
    expect(sensitive.some((v) => v.startsWith('Vítima '))).toBe(true);
    expect(sensitive).not.toContain('PT11A');
  });
});

describe('toSubmissionCsv', () => {
  it('writes a header and one quoted-where-needed row per record', () => {
    const csv = toSubmissionCsv([
      {
        recordId: 'a,1',
        version: 2,
        action: 'upsert',
        kind: 'victim',
        referenceDate: '2024-03',
        fields: { sex: 'F', exploitation: 'SEX;LAB' },
        identity: { givenName: 'Ana "Bia"' },
      },
      { recordId: 'b', version: 1, action: 'withdraw', kind: 'victim', referenceDate: '2024', fields: {} },
    ]);
    expect(csv).toBe(
      'recordId,version,action,kind,referenceDate,fields.exploitation,fields.sex,identity.givenName\r\n' +
        '"a,1",2,upsert,victim,2024-03,SEX;LAB,F,"Ana ""Bia"""\r\n' +
        'b,1,withdraw,victim,2024,,,\r\n',
    );
  });
});
