/**
 * The contract every `Registry` adapter passes: providers with versioned mappings, and API keys stored by hash.
 * Called by each adapter's tests as `runRegistryContract({ create })`; each test gets a fresh, empty registry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAPPING_FORMAT, type ApiKey, type MappingDocument, type Registry } from '@mosy/core';

export interface RegistryContractOptions {
  /** A fresh, empty, ready registry and how to dispose of it. */
  readonly create: () => Promise<{ readonly registry: Registry; readonly close: () => Promise<void> }>;
}

const mappingV1: MappingDocument = {
  format: MAPPING_FORMAT,
  description: 'Case system export, 2026 layout',
  unmapped: 'flag',
  fields: {
    sex: { from: 'gender', values: { w: 'F', m: 'M', d: 'X' }, caseInsensitive: true },
    exploitation: { from: ['form', 'form_old'], split: ';', values: { sexual: 'SEX', labour: ['LAB'] } },
    ageGroup: { from: 'age', transform: 'age' },
    status: { const: 'IDENTIFIED' },
  },
  kinds: { suspect: { organisedCrime: { from: 'oc', flags: { oc_yes: 'Y' }, truthy: ['1'] } } },
  drop: ['notes', 'name'],
};
const mappingV2: MappingDocument = {
  format: MAPPING_FORMAT,
  fields: { sex: { from: 'sex' } },
  unmapped: 'reject',
};

const key = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: 'key-1',
  hash: 'a'.repeat(64),
  role: 'provider',
  providerId: 'police-pt',
  label: 'nightly upload',
  createdAt: 1_767_225_600_000,
  ...overrides,
});

export function runRegistryContract(options: RegistryContractOptions): void {
  describe('Registry contract', () => {
    let registry: Registry;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ registry, close } = await options.create());
    });
    afterEach(async () => {
      await close();
    });

    describe('providers and mappings', () => {
      it('creates a provider at mapping version 1 and reads it back', async () => {
        const created = await registry.createProvider(
          { id: 'police-pt', type: 'POLICE', name: 'Polícia Judiciária', createdAt: 1_767_225_600_000 },
          mappingV1,
        );
        const expected = {
          id: 'police-pt',
          type: 'POLICE',
          name: 'Polícia Judiciária',
          mappingVersion: 1,
          createdAt: 1_767_225_600_000,
        };
        expect(created).toEqual(expected);
        expect(await registry.getProvider('police-pt')).toEqual(expected);
        expect(await registry.getMapping('police-pt')).toEqual(mappingV1);
        expect(await registry.getMapping('police-pt', 1)).toEqual(mappingV1);
      });

      it('refuses a second provider with the same id with conflict, keeping the first', async () => {
        await registry.createProvider({ id: 'ngo-1', type: 'NGO', name: 'First', createdAt: 1 }, mappingV1);
        await expect(
          registry.createProvider({ id: 'ngo-1', type: 'SHELTER', name: 'Second', createdAt: 2 }, mappingV2),
        ).rejects.toMatchObject({ code: 'conflict' });
        expect(await registry.getProvider('ngo-1')).toMatchObject({
          name: 'First',
          type: 'NGO',
          mappingVersion: 1,
        });
        expect(await registry.getMapping('ngo-1')).toEqual(mappingV1);
      });

      it('lists every provider', async () => {
        expect(await registry.listProviders()).toEqual([]);
        await registry.createProvider({ id: 'b-ngo', type: 'NGO', name: 'B', createdAt: 2 }, mappingV1);
        await registry.createProvider({ id: 'a-police', type: 'POLICE', name: 'A', createdAt: 1 }, mappingV2);
        const listed = [...(await registry.listProviders())].sort((x, y) => x.id.localeCompare(y.id));
        expect(listed).toEqual([
          { id: 'a-police', type: 'POLICE', name: 'A', mappingVersion: 1, createdAt: 1 },
          { id: 'b-ngo', type: 'NGO', name: 'B', mappingVersion: 1, createdAt: 2 },
        ]);
      });

      it('versions mappings, keeping the earlier ones', async () => {
        await registry.createProvider(
          { id: 'court-1', type: 'COURT', name: 'Court', createdAt: 1 },
          mappingV1,
        );
        // Read before the new versions, so a registry that caches them must drop what it read.
        expect(await registry.getProvider('court-1')).toMatchObject({ mappingVersion: 1 });
        expect(await registry.listProviders()).toMatchObject([{ id: 'court-1', mappingVersion: 1 }]);
        expect(await registry.putMapping('court-1', mappingV2)).toBe(2);
        expect(await registry.putMapping('court-1', mappingV1)).toBe(3);
        expect(await registry.getProvider('court-1')).toMatchObject({ mappingVersion: 3 });
        expect(await registry.listProviders()).toMatchObject([{ id: 'court-1', mappingVersion: 3 }]);
        expect(await registry.getMapping('court-1')).toEqual(mappingV1);
        expect(await registry.getMapping('court-1', 2)).toEqual(mappingV2);
        expect(await registry.getMapping('court-1', 1)).toEqual(mappingV1);
        expect(await registry.getMapping('court-1', 4)).toBeUndefined();
      });

      it('answers undefined for unknown providers and not-found when mapping one', async () => {
        expect(await registry.getProvider('nobody')).toBeUndefined();
        expect(await registry.getMapping('nobody')).toBeUndefined();
        await expect(registry.putMapping('nobody', mappingV1)).rejects.toMatchObject({ code: 'not-found' });
      });
    });

    describe('API keys', () => {
      it('stores a key and finds it by hash, optional fields absent when not given', async () => {
        await registry.createKey(key());
        const admin: ApiKey = { id: 'key-2', hash: 'b'.repeat(64), role: 'admin', createdAt: 5 };
        await registry.createKey(admin);
        expect(await registry.findKey('a'.repeat(64))).toEqual(key());
        expect(await registry.findKey('b'.repeat(64))).toEqual(admin);
        expect(await registry.findKey('c'.repeat(64))).toBeUndefined();
        const listed = [...(await registry.listKeys())].sort((x, y) => x.id.localeCompare(y.id));
        expect(listed).toEqual([key(), admin]);
      });

      it('revokes a key idempotently and still finds it, with revokedAt', async () => {
        await registry.createKey(key());
        await registry.revokeKey('key-1', 1000);
        await registry.revokeKey('key-1', 1000);
        expect(await registry.findKey('a'.repeat(64))).toEqual(key({ revokedAt: 1000 }));
        expect(await registry.listKeys()).toEqual([key({ revokedAt: 1000 })]);
      });

      it('stores a node key with its country, and revokes it keeping the country', async () => {
        const node: ApiKey = { id: 'key-3', hash: 'd'.repeat(64), role: 'node', country: 'ES', createdAt: 7 };
        await registry.createKey(node);
        expect(await registry.findKey('d'.repeat(64))).toEqual(node);
        await registry.revokeKey('key-3', 9);
        expect(await registry.listKeys()).toEqual([{ ...node, revokedAt: 9 }]);
      });

      it('refuses to revoke an unknown key with not-found', async () => {
        await expect(registry.revokeKey('missing', 1)).rejects.toMatchObject({ code: 'not-found' });
      });
    });
  });
}
