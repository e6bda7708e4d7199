/**
 * Test support (not built) for the projection, live and OpenAPI routes: an express app with those routes over an
 * in-memory DuckDB store, one API key per role, and helpers to add victim records and read an SSE stream.
 */
import express from 'express';
import type { NormalizedRecord, Role } from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { buildNormalizedRecord } from '@mosy/testkit';
import { createAuthenticator, createLogger, finishApp, hashKey } from '@mosy/http';
import { serve, type Served } from './serve.js';
import type { DisclosureSettings } from '../settings.js';
import { createLiveRoutes, createLiveUpdates, type LiveDeps, type LiveUpdates } from '../live.js';
import { createProjectionRoutes } from '../projection.js';

export interface TrendsFixture extends Served {
  readonly stores: DuckDbStores;
  /** Undefined when the fixture polls. */
  readonly updates?: LiveUpdates;
  readonly keys: Readonly<Record<Role, string>>;
}

export async function startTrendsFixture(
  options: {
    polling?: boolean;
    live?: Partial<Omit<LiveDeps, 'audit'>>;
    /** @defaultValue suppression alone, whose published values the tests can state exactly */
    disclosure?: DisclosureSettings;
  } = {},
): Promise<TrendsFixture> {
  const stores = await createDuckDbStores({ path: ':memory:' });
  const keys = {} as Record<Role, string>;
  for (const role of ['analyst', 'coordinator', 'provider', 'admin'] as const) {
    keys[role] = `trends-${role}-key`;
    await stores.registry.createKey({ id: `key-${role}`, hash: hashKey(keys[role]), role, createdAt: 1 });
  }
  const authenticate = createAuthenticator({ registry: stores.registry });
  const updates = options.polling === true ? undefined : createLiveUpdates();
  const deps = {
    store: stores.store,
    registry: stores.registry,
    authenticate,
    audit: stores.audit,
    disclosure: options.disclosure ?? { threshold: 5, adHoc: 'suppress' },
  };
  const app = express();
  app.use(createProjectionRoutes(deps));
  app.use(createLiveRoutes({ ...deps, ...(updates === undefined ? {} : { updates }), ...options.live }));
  finishApp(app, createLogger({ name: 'trends-test', level: 'silent' }));
  return { ...(await serve(app, keys, stores)), stores, ...(updates === undefined ? {} : { updates }), keys };
}

let counter = 0;
/** `count` victims (distinct persons) dated `referenceDate`, with the given sex. */
export function victims(count: number, referenceDate: string, sex = 'F'): NormalizedRecord[] {
  return Array.from({ length: count }, () => {
    counter += 1;
    return buildNormalizedRecord({
      recordId: `v${counter}`,
      referenceDate,
      personKey: `p${counter}`,
      fields: { sex },
    });
  });
}

/** A server-sent event. */
export interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Reads an SSE response: collects events and comment lines as they arrive. */
export function readSse(response: Response): {
  events: SseEvent[];
  comments: string[];
  next(predicate: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
} {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters: { predicate: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void; from: number }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const pump = async (): Promise<void> => {
    for (;;) {
      const chunk: { done: boolean; value?: Uint8Array } = await reader.read();
      const { done, value } = chunk;
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) comments.push(line);
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length === 0) continue;
        const parsed = { event, data: JSON.parse(data.join('\n')) as unknown };
        events.push(parsed);
        for (const w of [...waiters])
          if (w.predicate(parsed)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(parsed);
          }
      }
    }
  };
  pump().catch(() => undefined);
  return {
    events,
    comments,
    next(predicate, timeoutMs = 3000) {
      const found = events.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such event in time')), timeoutMs);
        waiters.push({
          predicate,
          from: events.length,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
}
