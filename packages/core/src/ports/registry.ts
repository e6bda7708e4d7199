/**
 * The registry port: providers, their versioned mappings and API keys (stored hashed). Written by the admin API,
 * read by ingest (authentication, mapping checks) and the normalizer (the mapping version a record was accepted
 * under). Adapters live beside the indicator stores and pass `runRegistryContract`.
 */
import type { MappingDocument } from '../mapping/format.js';
import type { ProviderType } from '../taxonomy/codes.js';

/** `node`: a national node publishing its quarterly reports to a hub (`country` set); issued by the hub's admin. */
export type Role = 'provider' | 'analyst' | 'coordinator' | 'admin' | 'node';
/** The roles a key can be issued for by the generic key route (a node key needs its country: the hub issues it). */
export const ROLES: readonly Role[] = ['provider', 'analyst', 'coordinator', 'admin'];

export interface Provider {
  /** Lower-case letters, digits and dashes; unique. */
  readonly id: string;
  readonly type: ProviderType;
  readonly name: string;
  /** The mapping version in force. */
  readonly mappingVersion: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export interface ApiKey {
  readonly id: string;
  /** SHA-256 (hex) of the secret key; the key itself is shown once and never stored. */
  readonly hash: string;
  readonly role: Role;
  /** Set for provider keys: the provider they submit as. */
  readonly providerId?: string;
  /** Set for node keys: the country (ISO alpha-2) whose reports they publish to the hub. */
  readonly country?: string;
  readonly label?: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

export interface Registry {
  /** Adds a provider with its first mapping (version 1). Rejects with `conflict` if the id exists. */
  createProvider(provider: Omit<Provider, 'mappingVersion'>, mapping: MappingDocument): Promise<Provider>;
  getProvider(id: string): Promise<Provider | undefined>;
  listProviders(): Promise<readonly Provider[]>;
  /** Stores a new mapping version (previous ones are kept) and makes it current; returns its version. */
  putMapping(providerId: string, mapping: MappingDocument): Promise<number>;
  /** A mapping by version, or the current one. */
  getMapping(providerId: string, version?: number): Promise<MappingDocument | undefined>;
  createKey(key: ApiKey): Promise<void>;
  /** Finds a key by its hash, revoked or not (the caller checks `revokedAt`). */
  findKey(hash: string): Promise<ApiKey | undefined>;
  listKeys(): Promise<readonly ApiKey[]>;
  /** Marks a key revoked; idempotent. Rejects with `not-found` for an unknown id. */
  revokeKey(id: string, at: number): Promise<void>;
}
