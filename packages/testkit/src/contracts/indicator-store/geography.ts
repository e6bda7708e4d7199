/**
 * Geography in the `IndicatorStore` contract: a region filter matches the region and everything below it, and a
 * breakdown truncates codes to `geoLevel`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { IndicatorStore } from '@mosy/core';
import { cellsBy, victim, type StoreUnderTest } from './support.js';

export function describeGeography(subject: StoreUnderTest): void {
  describe('geography', () => {
    let store: IndicatorStore;
    const { cells, total } = subject;
    beforeEach(() => {
      store = subject.current();
    });

    beforeEach(async () => {
      const regions = ['PT111', 'PT112', 'PT16', 'PT', 'ES51', 'BR', 'UNK'];
      await store.apply(
        regions.map((regionOfIdentification, i) =>
          victim({ recordId: `g${i}`, fields: { regionOfIdentification, regionOfExploitation: 'PT17' } }),
        ),
      );
    });

    it('a region filter matches the region and everything below it', async () => {
      expect(await total({ filters: { regionOfIdentification: ['PT1'] } })).toBe(3);
      expect(await total({ filters: { regionOfIdentification: ['PT11'] } })).toBe(2);
      expect(await total({ filters: { regionOfIdentification: ['PT111'] } })).toBe(1);
      expect(await total({ filters: { regionOfIdentification: ['PT'] } })).toBe(4);
      expect(await total({ filters: { regionOfIdentification: ['PT11', 'ES'] } })).toBe(3);
      expect(await total({ filters: { regionOfIdentification: ['BR'] } })).toBe(1);
      expect(await total({ filters: { regionOfIdentification: ['UNK'] } })).toBe(1);
      expect(await total({ filters: { regionOfExploitation: ['PT1'] } })).toBe(7);
      expect(await total({ filters: { regionOfExploitation: ['PT11'] } })).toBe(0);
    });

    it('a breakdown truncates codes to geoLevel and leaves less detailed codes as they are', async () => {
      expect(await cells({ by: ['regionOfIdentification'] })).toEqual(
        cellsBy('regionOfIdentification', { BR: 1, ES51: 1, PT: 1, PT111: 1, PT112: 1, PT16: 1, UNK: 1 }),
      );
      expect(await cells({ by: ['regionOfIdentification'], geoLevel: 0 })).toEqual(
        cellsBy('regionOfIdentification', { BR: 1, ES: 1, PT: 4, UNK: 1 }),
      );
      expect(await cells({ by: ['regionOfIdentification'], geoLevel: 1 })).toEqual(
        cellsBy('regionOfIdentification', { BR: 1, ES5: 1, PT: 1, PT1: 3, UNK: 1 }),
      );
      expect(await cells({ by: ['regionOfIdentification'], geoLevel: 2 })).toEqual(
        cellsBy('regionOfIdentification', { BR: 1, ES51: 1, PT: 1, PT11: 2, PT16: 1, UNK: 1 }),
      );
      expect(await cells({ by: ['regionOfIdentification'], geoLevel: 3 })).toEqual(
        cellsBy('regionOfIdentification', { BR: 1, ES51: 1, PT: 1, PT111: 1, PT112: 1, PT16: 1, UNK: 1 }),
      );
    });

    it('combines a region filter with a breakdown at another level', async () => {
      expect(
        await cells({
          by: ['regionOfIdentification'],
          filters: { regionOfIdentification: ['PT1'] },
          geoLevel: 2,
        }),
      ).toEqual(cellsBy('regionOfIdentification', { PT11: 2, PT16: 1 }));
      expect(
        await cells({
          by: ['regionOfExploitation'],
          filters: { regionOfIdentification: ['PT11'] },
          geoLevel: 1,
        }),
      ).toEqual(cellsBy('regionOfExploitation', { PT1: 2 }));
      expect(await cells({ by: ['regionOfExploitation'], geoLevel: 0 })).toEqual(
        cellsBy('regionOfExploitation', { PT: 7 }),
      );
    });
  });
}
