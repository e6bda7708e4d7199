/**
 * A populated embedded runtime for the access tests: two registered providers (one has submitted a few records),
 * and a key for every kind of caller — each role, the bootstrap token, a revoked key, an unknown key and a
 * malformed header, and node keys of two countries (the runtime is a hub) — as the `Authorization` value it sends. Built through the HTTP API, as an operator would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubmittedRecord } from '@mosy/core';
import { createLogger, type HardeningSettings, type Logger } from '@mosy/http';
import { generateDataset } from '@mosy/synthetic';
import { startStandalone, type Standalone } from '../standalone.js';

export const CALLERS = [
  'none',
  'provider',
  'otherProvider',
  'analyst',
  'coordinator',
  'admin',
  'bootstrap',
  'revoked',
  'unknown',
  'malformed',
  'node',
  'otherNode',
] as const;
export type Caller = (typeof CALLERS)[number];

export interface World {
  readonly runtime: Standalone;
  /** The `Authorization` header of each caller (none for `none`). */
  readonly auth: Readonly<Record<Caller, string | undefined>>;
  /** Key ids of the issued keys, as audit entries name them. */
  readonly keyIds: Readonly<Record<'analyst' | 'coordinator', string>>;
  readonly providerId: string;
  readonly otherProviderId: string;
  /** Valid records of `providerId` not yet submitted. */
  readonly records: readonly SubmittedRecord[];
  readonly adminToken: string;
  readonly pseudonymSecret: string;
  /** Sends a request as a caller. */
  call(caller: Caller, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly logger?: Logger;
  readonly hardening?: Partial<HardeningSettings>;
  readonly now?: () => number;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'mosy-access-'));
  const adminToken = `access-admin-${Math.random().toString(36).slice(2)}`;
  const pseudonymSecret = `access-pseudonym-secret-${Math.random().toString(36).slice(2)}-padding`;
  const runtime = await startStandalone({
    dataDir: dir,
    port: 0,
    adminToken,
    pseudonymSecret,
    hub: { role: 'hub' },
    logger: options.logger ?? createLogger({ name: 'access-test', level: 'silent' }),
    ...(options.hardening === undefined ? {} : { hardening: options.hardening }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const send = (authorization: string | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const bootstrap = `Bearer ${adminToken}`;
  const created = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await send(bootstrap, 'POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const dataset = generateDataset({ seed: 11, persons: 40, years: [2024] });
  const [first, second] = dataset.providers;
  if (first === undefined || second === undefined)
    throw new Error('the dataset has fewer than two providers');
  const providerKeys: string[] = [];
  for (const provider of [first, second]) {
    const { key } = await created<{ key: string }>('/v1/admin/providers', {
      id: provider.id,
      type: provider.type,
      name: provider.name,
      mapping: provider.mapping,
    });
    providerKeys.push(key);
  }
  const issue = (role: string) => created<{ id: string; key: string }>('/v1/admin/keys', { role });
  const [analyst, coordinator, admin, revoked] = await Promise.all([
    issue('analyst'),
    issue('coordinator'),
    issue('admin'),
    issue('analyst'),
  ]);
  const [node, otherNode] = await Promise.all([
    created<{ key: string }>('/v1/hub/nodes', { country: 'PT' }),
    created<{ key: string }>('/v1/hub/nodes', { country: 'ES' }),
  ]);
  const revoke = await send(bootstrap, 'DELETE', `/v1/admin/keys/${revoked.id}`);
  if (revoke.status !== 204) throw new Error(`revoke: ${revoke.status}`);
  const records = dataset.submissions.find((s) => s.providerId === first.id)?.records ?? [];
  const auth: Record<Caller, string | undefined> = {
    none: undefined,
    provider: `Bearer ${providerKeys[0]}`,
    otherProvider: `Bearer ${providerKeys[1]}`,
    analyst: `Bearer ${analyst.key}`,
    coordinator: `Bearer ${coordinator.key}`,
    admin: `Bearer ${admin.key}`,
    bootstrap,
    revoked: `Bearer ${revoked.key}`,
    unknown: 'Bearer mosy_admin_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    malformed: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    node: `Bearer ${node.key}`,
    otherNode: `Bearer ${otherNode.key}`,
  };
  return {
    runtime,
    auth,
    keyIds: { analyst: analyst.id, coordinator: coordinator.id },
    providerId: first.id,
    otherProviderId: second.id,
    records: records.slice(0, 5),
    adminToken,
    pseudonymSecret,
    call: (caller, method, path, body) => send(auth[caller], method, path, body),
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
