/**
 * The contract every `LinkageStore` adapter passes, run by each adapter's tests in a few lines:
 * `runLinkageStoreContract({ create })`. Each test gets fresh, empty stores: the linkage store and the indicator
 * store over the same database, because the persons count of the indicator store reads the person links.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLinkageEncoder,
  type IndicatorStore,
  type LinkageEncoding,
  type LinkageStore,
  type LinkageWrite,
  type StoredLinkage,
} from '@mosy/core';
import { buildNormalizedRecord } from '../builders.js';

export interface LinkageStoreContractOptions {
  /** Fresh, empty stores over one database (migrated) and how to dispose of them. */
  readonly create: () => Promise<{
    readonly linkage: LinkageStore;
    readonly store: IndicatorStore;
    readonly close: () => Promise<void>;
  }>;
}

/** Several writes and queries per test, on a machine that may be busy. */
const TIMEOUT = 60_000;

const encoder = createLinkageEncoder('linkage-store-contract-secret-of-32-bytes');
const encode = (givenName: string, familyName: string): LinkageEncoding =>
  encoder.encode({ givenName, familyName, dateOfBirth: '1990-05-12' })!;
const ANA = encode('Ana', 'Popescu');
const ANNA = encode('Anna', 'Popescu');
const IOANA = encode('Ioana', 'Ionescu');

/** A stored linkage with its encoding as plain arrays, for deep equality. */
const plain = (row: StoredLinkage) => ({
  ...row,
  ...(row.encoding === undefined
    ? {}
    : {
        encoding: {
          bits: [...row.encoding.bits],
          blockKeys: [...row.encoding.blockKeys],
          probeKeys: [...row.encoding.probeKeys],
        },
      }),
});
const plainEncoding = (encoding: LinkageEncoding) =>
  plain({ providerId: '', recordId: '', version: 0, encoding }).encoding;

export function runLinkageStoreContract(options: LinkageStoreContractOptions): void {
  describe('LinkageStore contract', () => {
    let linkage: LinkageStore;
    let store: IndicatorStore;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ linkage, store, close } = await options.create());
    });
    afterEach(async () => {
      await close();
    }, TIMEOUT);

    it(
      'starts empty',
      async () => {
        expect(await linkage.load()).toEqual([]);
        expect(await linkage.totals()).toEqual({ merges: 0, revisedRecords: 0 });
      },
      TIMEOUT,
    );

    it(
      'keeps encodings and person keys in linking order, ids of any characters included',
      async () => {
        await linkage.write({
          changes: [
            { providerId: 'p1', recordId: "r'1 é", version: 1, encoding: ANA, personKey: 'l:a' },
            { providerId: 'p2', recordId: 'r2', version: 3, encoding: IOANA, personKey: 'l:b' },
          ],
          relinks: [],
          merges: 0,
          revisedRecords: 0,
        });
        await linkage.write({
          changes: [{ providerId: 'p1', recordId: 'r3', version: 1, encoding: ANNA, personKey: 'l:a' }],
          relinks: [],
          merges: 0,
          revisedRecords: 0,
        });
        expect((await linkage.load()).map(plain)).toEqual([
          { providerId: 'p1', recordId: "r'1 é", version: 1, encoding: plainEncoding(ANA), personKey: 'l:a' },
          { providerId: 'p2', recordId: 'r2', version: 3, encoding: plainEncoding(IOANA), personKey: 'l:b' },
          { providerId: 'p1', recordId: 'r3', version: 1, encoding: plainEncoding(ANNA), personKey: 'l:a' },
        ]);
      },
      TIMEOUT,
    );

    it(
      'moves a changed record to the end, rewrites relinked keys, and keeps an unlinked record as its version only',
      async () => {
        await linkage.write({
          changes: [
            { providerId: 'p', recordId: 'a', version: 1, encoding: ANA, personKey: 'l:a' },
            { providerId: 'p', recordId: 'b', version: 1, encoding: IOANA, personKey: 'l:b' },
            { providerId: 'p', recordId: 'c', version: 1, encoding: ANNA, personKey: 'l:c' },
          ],
          relinks: [],
          merges: 0,
          revisedRecords: 0,
        });
        await linkage.write({
          changes: [
            { providerId: 'p', recordId: 'a', version: 2, encoding: ANNA, personKey: 'l:a' },
            { providerId: 'p', recordId: 'b', version: 2 },
          ],
          relinks: [{ providerId: 'p', recordId: 'c', personKey: 'l:a' }],
          merges: 1,
          revisedRecords: 1,
        });
        const expected = [
          { providerId: 'p', recordId: 'c', version: 1, encoding: plainEncoding(ANNA), personKey: 'l:a' },
          { providerId: 'p', recordId: 'a', version: 2, encoding: plainEncoding(ANNA), personKey: 'l:a' },
          { providerId: 'p', recordId: 'b', version: 2 },
        ];
        expect((await linkage.load()).map(plain)).toEqual(expected);
        expect(await linkage.totals()).toEqual({ merges: 1, revisedRecords: 1 });
        // Writing the same state again changes nothing but the counts it carries.
        await linkage.write({
          changes: [],
          relinks: [{ providerId: 'p', recordId: 'c', personKey: 'l:a' }],
          merges: 2,
          revisedRecords: 5,
        });
        expect((await linkage.load()).map(plain)).toEqual(expected);
        expect(await linkage.totals()).toEqual({ merges: 3, revisedRecords: 6 });
      },
      TIMEOUT,
    );

    it(
      'counts persons by the linked key where a record has one, else by its own person key',
      async () => {
        const records = ['a', 'b', 'c', 'd'].map((recordId) =>
          buildNormalizedRecord({ providerId: 'p', recordId, personKey: `p:${recordId}` }),
        );
        await store.apply(records);
        const persons = async () =>
          (await store.query({ kind: 'victim', unit: 'persons', by: ['sex'], filters: {} })).total;
        const recordCount = async () =>
          (await store.query({ kind: 'victim', unit: 'records', by: [], filters: {} })).total;
        expect(await persons()).toBe(4);
        await linkage.write({
          changes: [
            { providerId: 'p', recordId: 'a', version: 1, encoding: ANA, personKey: 'l:x' },
            { providerId: 'p', recordId: 'b', version: 1, encoding: ANNA, personKey: 'l:x' },
            { providerId: 'p', recordId: 'c', version: 1, encoding: IOANA, personKey: 'l:y' },
          ],
          relinks: [],
          merges: 0,
          revisedRecords: 0,
        });
        expect(await persons()).toBe(3);
        await linkage.write({
          changes: [],
          relinks: [{ providerId: 'p', recordId: 'c', personKey: 'l:x' }],
          merges: 1,
          revisedRecords: 1,
        });
        expect(await persons()).toBe(2);
        // Unlinked, a record counts as its own person key again.
        await linkage.write({
          changes: [{ providerId: 'p', recordId: 'a', version: 2 }],
          relinks: [],
          merges: 0,
          revisedRecords: 0,
        });
        await linkage.write({
          changes: [{ providerId: 'p', recordId: 'b', version: 2 }],
          relinks: [],
          merges: 0,
          revisedRecords: 0,
        });
        expect(await persons()).toBe(4);
        // Records are counted as records, whatever the links.
        expect(await recordCount()).toBe(4);
      },
      TIMEOUT,
    );

    it(
      'moves its position with every write, an unlink and a relink alone included, and clears everything',
      async () => {
        const positions = [await linkage.position()];
        const write = async (changes: LinkageWrite['changes'], relinks: LinkageWrite['relinks'] = []) => {
          await linkage.write({ changes, relinks, merges: relinks.length > 0 ? 1 : 0, revisedRecords: 0 });
          positions.push(await linkage.position());
        };
        await write([
          { providerId: 'p', recordId: 'a', version: 1, encoding: ANA, personKey: 'l:a' },
          { providerId: 'p', recordId: 'b', version: 1, encoding: IOANA, personKey: 'l:b' },
        ]);
        await write([], [{ providerId: 'p', recordId: 'b', personKey: 'l:a' }]);
        await write([{ providerId: 'p', recordId: 'a', version: 2 }]);
        await write([{ providerId: 'p', recordId: 'b', version: 2 }]);
        expect(new Set(positions).size).toBe(positions.length);
        // Reading does not move it.
        expect(await linkage.position()).toBe(positions.at(-1));

        await store.apply([buildNormalizedRecord({ providerId: 'p', recordId: 'c', personKey: 'p:c' })]);
        await write([{ providerId: 'p', recordId: 'c', version: 1, encoding: ANNA, personKey: 'l:z' }]);
        expect(await linkage.clear()).toBe(3);
        expect(await linkage.load()).toEqual([]);
        expect(await linkage.totals()).toEqual({ merges: 0, revisedRecords: 0 });
        // The persons count is back on the record's own person key.
        const persons = await store.query({ kind: 'victim', unit: 'persons', by: ['sex'], filters: {} });
        expect(persons.total).toBe(1);
        expect(await linkage.clear()).toBe(0);
      },
      TIMEOUT,
    );
  });
}
