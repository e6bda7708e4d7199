/**
 * The DuckDB `Registry`: providers, every version of their mapping (JSON text), and API keys by SHA-256 hash.
 * Values are always bound parameters. Writes go through the database's writer connection, one transaction each,
 * so "read the current version, write the next" cannot interleave with another write. Every request reads its key,
 * a submission its provider and a report the list of providers, so those reads are cached (`ReadCache`: exact, as
 * this process alone writes the file and every write here drops the cache); a submission or a report then spends
 * no reader connection on the registry.
 */
import { MosyError, type ApiKey, type Provider, type Registry } from '@mosy/core';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import {
  API_KEY_COLUMNS,
  optionalInteger,
  toApiKey,
  toMappingDocument,
  toProvider,
  type Row,
} from '@mosy/sql';
import { inTransaction, type DuckDbDatabase } from './database.js';
import { ReadCache } from './read-cache.js';

const rowsOf = async (
  connection: DuckDBConnection,
  sql: string,
  values: DuckDBValue[] = [],
): Promise<Row[]> => (await connection.runAndReadAll(sql, values)).getRowObjectsJS();

/** A registry over an open database (the caller runs the migrations). */
export function createRegistryOn(database: DuckDbDatabase): Registry {
  const providers = new ReadCache<Provider>();
  const providerList = new ReadCache<readonly Provider[]>();
  const providersWriting = <T>(write: () => Promise<T>): Promise<T> =>
    providers.writing(() => providerList.writing(write));
  const keys = new ReadCache<ApiKey>();
  return {
    createProvider(provider, mapping) {
      return providersWriting(() =>
        database.write((connection) =>
          inTransaction(connection, async () => {
            const existing = await rowsOf(connection, 'SELECT 1 FROM providers WHERE id = $1', [provider.id]);
            if (existing.length > 0)
              throw new MosyError('conflict', `provider ${provider.id} exists already`);
            await connection.run('INSERT INTO providers VALUES ($1, $2, $3, 1, $4)', [
              provider.id,
              provider.type,
              provider.name,
              provider.createdAt,
            ]);
            await connection.run('INSERT INTO provider_mappings VALUES ($1, 1, $2)', [
              provider.id,
              JSON.stringify(mapping),
            ]);
            return { ...provider, mappingVersion: 1 };
          }),
        ),
      );
    },

    getProvider(id) {
      return providers.get(id, () =>
        database.read(async (connection) => {
          const [row] = await rowsOf(connection, 'SELECT * FROM providers WHERE id = $1', [id]);
          return row === undefined ? undefined : toProvider(row);
        }),
      );
    },

    async listProviders() {
      const list = await providerList.get('', () =>
        database.read(async (connection) =>
          (await rowsOf(connection, 'SELECT * FROM providers ORDER BY id')).map(toProvider),
        ),
      );
      // A copy: the cached list is shared by every caller.
      return [...(list ?? [])];
    },

    putMapping(providerId, mapping) {
      return providersWriting(() =>
        database.write((connection) =>
          inTransaction(connection, async () => {
            const [row] = await rowsOf(
              connection,
              `SELECT (SELECT max(version) FROM provider_mappings WHERE provider_id = $1) AS latest
             FROM providers WHERE id = $1`,
              [providerId],
            );
            if (row === undefined) throw new MosyError('not-found', `no provider ${providerId}`);
            const version = (optionalInteger(row.latest) ?? 0) + 1;
            await connection.run('INSERT INTO provider_mappings VALUES ($1, $2, $3)', [
              providerId,
              version,
              JSON.stringify(mapping),
            ]);
            await connection.run('UPDATE providers SET mapping_version = $2 WHERE id = $1', [
              providerId,
              version,
            ]);
            return version;
          }),
        ),
      );
    },

    getMapping(providerId, version) {
      return database.read(async (connection) => {
        const [row] =
          version === undefined
            ? await rowsOf(
                connection,
                `SELECT m.document FROM providers p
                 JOIN provider_mappings m ON m.provider_id = p.id AND m.version = p.mapping_version
                 WHERE p.id = $1`,
                [providerId],
              )
            : await rowsOf(
                connection,
                'SELECT document FROM provider_mappings WHERE provider_id = $1 AND version = $2',
                [providerId, version],
              );
        return row === undefined ? undefined : toMappingDocument(row);
      });
    },

    createKey(key) {
      return keys.writing(() =>
        database.write(async (connection) => {
          await connection.run(
            `INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              key.id,
              key.hash,
              key.role,
              key.providerId ?? key.country ?? null,
              key.label ?? null,
              key.createdAt,
              key.revokedAt ?? null,
            ],
          );
        }),
      );
    },

    findKey(hash) {
      return keys.get(hash, () =>
        database.read(async (connection) => {
          const [row] = await rowsOf(connection, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE hash = $1`, [
            hash,
          ]);
          return row === undefined ? undefined : toApiKey(row);
        }),
      );
    },

    listKeys() {
      return database.read(async (connection) =>
        (await rowsOf(connection, `SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY id`)).map(toApiKey),
      );
    },

    revokeKey(id, at) {
      return keys.writing(() =>
        database.write(async (connection) => {
          const [row] = await rowsOf(connection, 'SELECT revoked_at FROM api_keys WHERE id = $1', [id]);
          if (row === undefined) throw new MosyError('not-found', `no API key ${id}`);
          // Idempotent: the first revocation time stands.
          if (row.revoked_at === null) {
            await connection.run('UPDATE api_keys SET revoked_at = $2 WHERE id = $1', [id, at]);
          }
        }),
      );
    },
  };
}
