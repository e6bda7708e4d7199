/**
 * The contract every `IntakeLedger` adapter passes: accepted versions that only rise, receipts per provider, and
 * data-quality counts summed by (provider, kind, field, value). Called by each adapter's tests as
 * `runIntakeLedgerContract({ create })`; each test gets a fresh, empty ledger.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntakeLedger, QualityCount, SubmissionReceipt } from '@mosy/core';
import { acceptRecords } from '../ledger-submissions.js';

export interface IntakeLedgerContractOptions {
  /** A fresh, empty, ready ledger and how to dispose of it. */
  readonly create: () => Promise<{ readonly ledger: IntakeLedger; readonly close: () => Promise<void> }>;
}

const receipt: SubmissionReceipt = {
  submissionId: 'sub-1',
  providerId: 'police-pt',
  receivedAt: 1_767_225_600_123,
  accepted: 1,
  duplicates: 1,
  rejected: 1,
  records: [
    { recordId: 'r1', version: 2, status: 'accepted' },
    { recordId: 'r2', version: 1, status: 'duplicate' },
    {
      recordId: 'r3',
      version: 1,
      status: 'rejected',
      issues: [{ field: 'fields.sex', code: 'invalid-field', message: '"Q" is not a code of sex' }],
    },
  ],
};

const byKey = (counts: readonly QualityCount[]): QualityCount[] =>
  [...counts].sort((a, b) =>
    JSON.stringify([a.providerId, a.kind, a.field, a.value]).localeCompare(
      JSON.stringify([b.providerId, b.kind, b.field, b.value]),
    ),
  );

export function runIntakeLedgerContract(options: IntakeLedgerContractOptions): void {
  describe('IntakeLedger contract', () => {
    let ledger: IntakeLedger;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ ledger, close } = await options.create());
    });
    afterEach(async () => {
      await close();
    });
    const saveReceipt = (saved: SubmissionReceipt) =>
      ledger.recordSubmission({ accepted: [], quality: [], receipt: saved });

    describe('accepted versions', () => {
      it('answers only records that were accepted, per provider', async () => {
        expect((await ledger.acceptedVersions('police-pt', ['r1'])).size).toBe(0);
        await acceptRecords(ledger, 'police-pt', [
          { recordId: 'r1', version: 2 },
          { recordId: 'r2', version: 1 },
        ]);
        await acceptRecords(ledger, 'ngo-1', [{ recordId: 'r1', version: 7 }]);
        expect(new Map(await ledger.acceptedVersions('police-pt', ['r1', 'r3']))).toEqual(
          new Map([['r1', 2]]),
        );
        expect(new Map(await ledger.acceptedVersions('ngo-1', ['r1', 'r2']))).toEqual(new Map([['r1', 7]]));
        expect((await ledger.acceptedVersions('police-pt', [])).size).toBe(0);
      });

      it('raises versions and never lowers them, also within one call', async () => {
        await acceptRecords(ledger, 'p', [{ recordId: 'r1', version: 3 }]);
        await acceptRecords(ledger, 'p', [
          { recordId: 'r1', version: 2 },
          { recordId: 'r2', version: 1 },
          { recordId: 'r2', version: 5 },
          { recordId: 'r2', version: 4 },
        ]);
        expect(new Map(await ledger.acceptedVersions('p', ['r1', 'r2']))).toEqual(
          new Map([
            ['r1', 3],
            ['r2', 5],
          ]),
        );
        await acceptRecords(ledger, 'p', [{ recordId: 'r1', version: 4 }]);
        expect((await ledger.acceptedVersions('p', ['r1'])).get('r1')).toBe(4);
      });

      it('handles many records and ids of any characters', async () => {
        const records = Array.from({ length: 3000 }, (_, i) => ({
          recordId: `id-${i}`,
          version: 1 + (i % 5),
        }));
        records.push({ recordId: "o'brien\\ \u00e9\n", version: 9 });
        await acceptRecords(ledger, 'p', records);
        const versions = await ledger.acceptedVersions(
          'p',
          records.map((record) => record.recordId),
        );
        expect(versions.size).toBe(3001);
        expect(versions.get('id-2999')).toBe(5);
        expect(versions.get("o'brien\\ \u00e9\n")).toBe(9);
      });
    });

    describe('receipts', () => {
      it('stores and returns a receipt for its provider only', async () => {
        await saveReceipt(receipt);
        expect(await ledger.getReceipt('police-pt', 'sub-1')).toEqual(receipt);
        expect(await ledger.getReceipt('ngo-1', 'sub-1')).toBeUndefined();
        expect(await ledger.getReceipt('police-pt', 'sub-2')).toBeUndefined();
      });

      it('saving a receipt again replaces it', async () => {
        await saveReceipt(receipt);
        const again = { ...receipt, accepted: 0, duplicates: 2, records: receipt.records.slice(1) };
        await saveReceipt(again);
        expect(await ledger.getReceipt('police-pt', 'sub-1')).toEqual(again);
      });
    });

    describe('a whole submission', () => {
      it('raises the accepted versions, counts the quality events at the receipt time and saves the receipt', async () => {
        await acceptRecords(ledger, 'police-pt', [{ recordId: 'r1', version: 5 }]);
        await ledger.recordSubmission({
          accepted: [
            { recordId: 'r1', version: 2 },
            { recordId: 'r4', version: 3 },
            { recordId: 'r4', version: 4 },
          ],
          quality: [
            {
              providerId: 'police-pt',
              kind: 'rejected',
              field: 'fields.sex',
              value: 'invalid-field',
              count: 1,
            },
            {
              providerId: 'police-pt',
              kind: 'rejected',
              field: 'fields.sex',
              value: 'invalid-field',
              count: 1,
            },
          ],
          receipt,
        });
        expect(new Map(await ledger.acceptedVersions('police-pt', ['r1', 'r4']))).toEqual(
          new Map([
            ['r1', 5],
            ['r4', 4],
          ]),
        );
        expect(await ledger.quality('police-pt')).toEqual([
          {
            providerId: 'police-pt',
            kind: 'rejected',
            field: 'fields.sex',
            value: 'invalid-field',
            count: 2,
            lastSeen: receipt.receivedAt,
          },
        ]);
        expect(await ledger.getReceipt('police-pt', 'sub-1')).toEqual(receipt);
      });

      it('saves the receipt of a submission that accepted nothing and had no quality event', async () => {
        const none = {
          ...receipt,
          submissionId: 'sub-9',
          accepted: 0,
          duplicates: 1,
          rejected: 0,
          records: [],
        };
        await ledger.recordSubmission({ accepted: [], quality: [], receipt: none });
        expect(await ledger.getReceipt('police-pt', 'sub-9')).toEqual(none);
        expect(await ledger.quality()).toEqual([]);
        expect((await ledger.acceptedVersions('police-pt', ['r1'])).size).toBe(0);
      });

      it('keeps every one of many submissions written at once, as if written one after another', async () => {
        const at = (i: number) => receipt.receivedAt + i;
        const submissions = Array.from({ length: 12 }, (_, i) => ({
          accepted: [
            { recordId: 'shared-id', version: i + 1 },
            { recordId: `own-${i}`, version: 1 },
          ],
          quality: [
            { providerId: `p${i % 3}`, kind: 'unmapped' as const, field: 'fields.sex', value: 'Q', count: 1 },
          ],
          receipt: { ...receipt, submissionId: `many-${i}`, providerId: `p${i % 3}`, receivedAt: at(i) },
        }));
        await Promise.all(submissions.map((submission) => ledger.recordSubmission(submission)));
        for (const p of [0, 1, 2]) {
          // Provider p sent submissions p, p + 3, p + 6 and p + 9: the shared record's highest version is p + 10.
          expect(
            new Map(await ledger.acceptedVersions(`p${p}`, ['shared-id', `own-${p}`, `own-${p + 9}`])),
          ).toEqual(
            new Map([
              ['shared-id', p + 10],
              [`own-${p}`, 1],
              [`own-${p + 9}`, 1],
            ]),
          );
          expect((await ledger.acceptedVersions(`p${p}`, [`own-${(p + 1) % 3}`])).size).toBe(0);
          expect(await ledger.quality(`p${p}`)).toEqual([
            {
              providerId: `p${p}`,
              kind: 'unmapped',
              field: 'fields.sex',
              value: 'Q',
              count: 4,
              lastSeen: at(p + 9),
            },
          ]);
        }
        for (const { receipt: saved } of submissions)
          expect(await ledger.getReceipt(saved.providerId, saved.submissionId)).toEqual(saved);
      });
    });

    describe('activity', () => {
      it('gives each provider its number of submissions and the latest receipt time, a receipt saved again once', async () => {
        expect(await ledger.activity()).toEqual([]);
        await saveReceipt(receipt);
        await saveReceipt({ ...receipt, accepted: 0 });
        await saveReceipt({ ...receipt, submissionId: 'sub-2', receivedAt: receipt.receivedAt + 5 });
        await saveReceipt({ ...receipt, submissionId: 'sub-3', providerId: 'ngo-1', receivedAt: 7 });
        expect(await ledger.activity()).toEqual([
          { providerId: 'ngo-1', submissions: 1, lastSubmittedAt: 7 },
          { providerId: 'police-pt', submissions: 2, lastSubmittedAt: receipt.receivedAt + 5 },
        ]);
      });
    });

    describe('quality counts', () => {
      it('sums events by provider, kind, field and value, keeping the latest time', async () => {
        await ledger.recordQuality(
          [
            { providerId: 'p', kind: 'unmapped', field: 'sex', value: 'w', count: 2 },
            { providerId: 'p', kind: 'unmapped', field: 'sex', value: 'w', count: 1 },
            { providerId: 'p', kind: 'unmapped', field: 'sex', value: 'q', count: 1 },
            { providerId: 'p', kind: 'rejected', field: 'invalid-field', value: '', count: 4 },
            { providerId: 'other', kind: 'deadletter', field: 'internal', value: '', count: 1 },
          ],
          100,
        );
        await ledger.recordQuality(
          [{ providerId: 'p', kind: 'unmapped', field: 'sex', value: 'w', count: 5 }],
          200,
        );
        await ledger.recordQuality([], 300);
        expect(byKey(await ledger.quality('p'))).toEqual(
          byKey([
            { providerId: 'p', kind: 'unmapped', field: 'sex', value: 'w', count: 8, lastSeen: 200 },
            { providerId: 'p', kind: 'unmapped', field: 'sex', value: 'q', count: 1, lastSeen: 100 },
            { providerId: 'p', kind: 'rejected', field: 'invalid-field', value: '', count: 4, lastSeen: 100 },
          ]),
        );
        expect(byKey(await ledger.quality())).toEqual(
          byKey([
            ...(await ledger.quality('p')),
            {
              providerId: 'other',
              kind: 'deadletter',
              field: 'internal',
              value: '',
              count: 1,
              lastSeen: 100,
            },
          ]),
        );
        expect(await ledger.quality('nobody')).toEqual([]);
      });
    });
  });
}
