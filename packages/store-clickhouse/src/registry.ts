/**
 * The ClickHouse `Registry`: providers, every version of their mapping (JSON text) and API keys by SHA-256 hash, in
 * ReplacingMergeTree tables whose version column rises with each change of a row (a provider's `mapping_version`, a
 * key's `revision`), read `FINAL` so the latest row per key is the one seen. ClickHouse has neither unique keys nor
 * transactions, so "does it exist?" and "which mapping version is next?" are read-then-write: exact for the single
 * admin API instance that writes the registry (its calls are serialized here), not across several writers (see the
 * README). Opaque values reach SQL only as `opaqueText`; mapping documents only through JSONEachRow inserts.
 */
import { MosyError, type ApiKey, type Provider, type Registry } from '@mosy/core';
import { API_KEY_COLUMNS, integer, toApiKey, toMappingDocument, toProvider } from '@mosy/sql';
import type { ClickHouseConnection, Row } from './connection.js';
import { opaqueText } from './opaque-text.js';

function providerColumns(provider: Provider): Row {
  return {
    id: provider.id,
    type: provider.type,
    name: provider.name,
    mapping_version: provider.mappingVersion,
    created_at: provider.createdAt,
  };
}

const keyRow = (key: ApiKey, revision: 0 | 1): Row => ({
  id: key.id,
  hash: key.hash,
  role: key.role,
  provider_id: key.providerId ?? key.country ?? null,
  label: key.label ?? null,
  created_at: key.createdAt,
  revoked_at: key.revokedAt ?? null,
  revision,
});

/** A registry over an open connection (the caller runs the migrations). */
export function createRegistryOn(connection: ClickHouseConnection): Registry {
  let writing: Promise<unknown> = Promise.resolve();
  /** Runs read-then-write tasks one at a time. */
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const result = writing.then(task);
    writing = result.catch(() => undefined);
    return result;
  };

  const providerRow = async (id: string): Promise<Row | undefined> =>
    (await connection.select(`SELECT * FROM providers FINAL WHERE id = ${opaqueText(id)}`))[0];

  const keyRowById = async (id: string): Promise<Row | undefined> =>
    (
      await connection.select(`SELECT ${API_KEY_COLUMNS} FROM api_keys FINAL WHERE id = ${opaqueText(id)}`)
    )[0];

  return {
    createProvider(provider, mapping) {
      return serialized(async () => {
        if ((await providerRow(provider.id)) !== undefined) {
          throw new MosyError('conflict', `provider ${provider.id} exists already`);
        }
        // The mapping first: a crash between the two leaves an unused mapping row, never a provider without one.
        await connection.insert('provider_mappings', [
          { provider_id: provider.id, version: 1, document: JSON.stringify(mapping) },
        ]);
        const created: Provider = { ...provider, mappingVersion: 1 };
        await connection.insert('providers', [providerColumns(created)]);
        return created;
      });
    },

    async getProvider(id) {
      const row = await providerRow(id);
      return row === undefined ? undefined : toProvider(row);
    },

    async listProviders() {
      return (await connection.select('SELECT * FROM providers FINAL ORDER BY id')).map(toProvider);
    },

    putMapping(providerId, mapping) {
      return serialized(async () => {
        const row = await providerRow(providerId);
        if (row === undefined) throw new MosyError('not-found', `no provider ${providerId}`);
        const [latest] = await connection.select(
          `SELECT max(version) AS latest FROM provider_mappings WHERE provider_id = ${opaqueText(providerId)}`,
        );
        const version = Math.max(integer(latest?.latest ?? 0), integer(row.mapping_version)) + 1;
        await connection.insert('provider_mappings', [
          { provider_id: providerId, version, document: JSON.stringify(mapping) },
        ]);
        await connection.insert('providers', [
          providerColumns({ ...toProvider(row), mappingVersion: version }),
        ]);
        return version;
      });
    },

    async getMapping(providerId, version) {
      let wanted = version;
      if (wanted === undefined) {
        const row = await providerRow(providerId);
        if (row === undefined) return undefined;
        wanted = integer(row.mapping_version);
      }
      if (!Number.isSafeInteger(wanted)) return undefined;
      const [row] = await connection.select(
        `SELECT document FROM provider_mappings FINAL
         WHERE provider_id = ${opaqueText(providerId)} AND version = ${wanted}`,
      );
      return row === undefined ? undefined : toMappingDocument(row);
    },

    createKey(key) {
      return serialized(async () => {
        const [clash] = await connection.select(
          `SELECT id FROM api_keys WHERE id = ${opaqueText(key.id)} OR hash = ${opaqueText(key.hash)} LIMIT 1`,
        );
        if (clash !== undefined)
          throw new MosyError('conflict', `an API key with id ${key.id} or its hash exists`);
        await connection.insert('api_keys', [keyRow(key, key.revokedAt === undefined ? 0 : 1)]);
      });
    },

    async findKey(hash) {
      const [row] = await connection.select(
        `SELECT ${API_KEY_COLUMNS} FROM api_keys FINAL WHERE hash = ${opaqueText(hash)}`,
      );
      return row === undefined ? undefined : toApiKey(row);
    },

    async listKeys() {
      return (await connection.select(`SELECT ${API_KEY_COLUMNS} FROM api_keys FINAL ORDER BY id`)).map(
        toApiKey,
      );
    },

    revokeKey(id, at) {
      return serialized(async () => {
        const row = await keyRowById(id);
        if (row === undefined) throw new MosyError('not-found', `no API key ${id}`);
        const key = toApiKey(row);
        // Idempotent: the first revocation time stands.
        if (key.revokedAt === undefined)
          await connection.insert('api_keys', [keyRow({ ...key, revokedAt: at }, 1)]);
      });
    },
  };
}
