/**
 * Live trends: a Server-Sent Events stream of indicator values that follows the store as records are aggregated.
 * On connect the client gets an `event: snapshot` with the current values of each requested indicator, then an
 * `event: update` after applied batches (at most one per debounce window, 500 ms by default), and a heartbeat
 * comment every 15 s so proxies keep the connection open. In the embedded runtime the aggregator runs in the same
 * process and feeds a `LiveUpdates` hub from its `onApplied` callback; in the distributed runtime the report API
 * runs apart from the aggregator, gets no `LiveUpdates`, and instead polls the store every second, sending an
 * update only when the values changed. Values are protected like the values endpoint: by the deployment's ad-hoc
 * method for analysts (a stream's filters are as free as a query's), none for coordinators.
 */
import express, { type Request, type Response, type Router } from 'express';
import {
  INDICATORS,
  MosyError,
  parseIndicatorQuery,
  type ApplyOutcome,
  type DisclosureInfo,
  type DisclosureMode,
  type IndicatorDefinition,
  type AuditLog,
  type IndicatorStore,
  type QueryParams,
  type Registry,
  type StoreQuery,
} from '@mosy/core';
import { mountRoute, rawHandler, requireRole, type Authenticator } from '@mosy/http';
import { LIVE } from './api/indicators.js';
import { resolveProtection } from './audit.js';
import { DEFAULT_DISCLOSURE, type DisclosureSettings } from './settings.js';
import { protectOnce } from './reports/protect-once.js';

/** One applied batch, as the aggregator reports it. */
export interface LiveEvent {
  readonly applied: number;
  readonly ignored: number;
}

/** In-process pub/sub between the aggregator and the live streams. Listeners are called synchronously. */
export interface LiveUpdates {
  publish(event: LiveEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
}

/** A `LiveUpdates` hub; a throwing listener does not keep the others from being called. */
export function createLiveUpdates(): LiveUpdates {
  const listeners = new Set<(event: LiveEvent) => void>();
  return {
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // A broken stream must not break the aggregator that publishes.
        }
      }
    },
    subscribe(listener) {
      // A wrapper, so the same function subscribed twice is two subscriptions.
      const entry = (event: LiveEvent): void => listener(event);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };
}

/** The aggregator's `onApplied` callback publishing to a hub (only batches that changed something). */
export const publishApplied =
  (updates: LiveUpdates) =>
  (outcome: ApplyOutcome): void => {
    if (outcome.applied > 0) updates.publish({ applied: outcome.applied, ignored: outcome.ignored });
  };

export interface LiveDeps {
  readonly authenticate: Authenticator;
  readonly store: IndicatorStore;
  readonly registry: Registry;
  /** Where a coordinator's unprotected stream (`protection=none`) is recorded when it opens. */
  readonly audit: AuditLog;
  /** Disclosure control of analysts' streams. @defaultValue `DEFAULT_DISCLOSURE` */
  readonly disclosure?: DisclosureSettings;
  /** @defaultValue Date.now */
  readonly now?: () => number;
  /** In-process updates; without them the stream polls the store. */
  readonly updates?: LiveUpdates;
  /** @defaultValue 500 */
  readonly debounceMs?: number;
  /** @defaultValue 15000 */
  readonly heartbeatMs?: number;
  /** Polling period without `updates`. @defaultValue 1000 */
  readonly pollMs?: number;
}

/** Most indicators in one stream. */
export const MAX_LIVE_INDICATORS = 10;

/** The values of one indicator as published (the values endpoint's shape, with disclosure control). */
export interface LiveValues {
  readonly indicator: string;
  readonly unit: string;
  readonly cells: readonly Record<string, string | number | null>[];
  readonly total: number | null;
  readonly totalFlag?: string;
  readonly disclosure: DisclosureInfo;
}

/** Routes: `GET /v1/live` for analysts and coordinators. */
export function createLiveRoutes(deps: LiveDeps): Router {
  const router = express.Router();
  mountRoute(
    router,
    LIVE,
    requireRole(deps.authenticate, 'analyst', 'coordinator'),
    rawHandler(LIVE)(({ req, res }) => stream(deps, req, res)),
  );
  return router;
}

async function stream(deps: LiveDeps, req: Request, res: Response): Promise<void> {
  const params = req.query as QueryParams;
  const queries = await parseLiveQuery(params, await deps.registry.listProviders());
  const { threshold, adHoc } = deps.disclosure ?? DEFAULT_DISCLOSURE;
  const mode: DisclosureMode =
    (await resolveProtection(req, deps.audit, deps.now ?? Date.now)) === 'none' ? 'none' : adHoc;
  const read = async (): Promise<LiveValues[]> =>
    Promise.all(
      queries.map(async ({ indicator, query }) => {
        const result = await deps.store.query(mode === 'perturb' ? { ...query, keySums: true } : query);
        return toValues(indicator, query, result, mode, threshold);
      }),
    );

  let last = JSON.stringify(await read());
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    // Like every API response, never stored by a cache (the security headers' no-store).
    'Cache-Control': 'no-store, no-transform',
    Connection: 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: 2000\nevent: snapshot\ndata: ${last}\n\n`);

  let closed = false;
  // The snapshot counts as a sent event, so the first update also waits out the window.
  let sentAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const debounceMs = deps.debounceMs ?? 500;

  const send = async (onlyIfChanged: boolean): Promise<void> => {
    if (closed || running) return;
    running = true;
    try {
      const body = JSON.stringify(await read());
      if (closed || (onlyIfChanged && body === last)) return;
      last = body;
      sentAt = Date.now();
      res.write(`event: update\ndata: ${body}\n\n`);
    } catch {
      // A failed read (store closing) ends this stream; the client reconnects and gets a fresh snapshot.
      close();
      res.end();
    } finally {
      running = false;
    }
  };
  const schedule = (): void => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void send(false);
      },
      Math.max(0, sentAt + debounceMs - Date.now()),
    );
  };

  const unsubscribe = deps.updates?.subscribe(schedule);
  const poll =
    deps.updates === undefined ? setInterval(() => void send(true), deps.pollMs ?? 1000) : undefined;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatMs ?? 15_000);
  function close(): void {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    clearInterval(heartbeat);
    if (poll !== undefined) clearInterval(poll);
    if (timer !== undefined) clearTimeout(timer);
  }
  req.on('close', close);
  res.on('close', close);
}

async function parseLiveQuery(
  params: QueryParams,
  providers: readonly { readonly id: string; readonly type: string }[],
): Promise<{ indicator: IndicatorDefinition; query: StoreQuery }[]> {
  const raw = params.indicators;
  const ids = (typeof raw === 'string' ? [raw] : (raw ?? []))
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const fail = (message: string): MosyError =>
    new MosyError('invalid-query', `indicators: ${message}`, {
      issues: [{ field: 'indicators', code: 'invalid-query', message: `indicators: ${message}` }],
    });
  if (ids.length === 0) throw fail('give at least one indicator id (see /v1/indicators)');
  if (ids.length > MAX_LIVE_INDICATORS) throw fail(`at most ${MAX_LIVE_INDICATORS} indicators`);
  const unknown = ids.filter((id) => !INDICATORS.some((i) => i.id === id));
  if (unknown.length > 0) throw fail(`unknown indicator(s) ${unknown.join(', ')} (see /v1/indicators)`);
  return Promise.resolve(
    [...new Set(ids)].map((id) => {
      const indicator = INDICATORS.find((i) => i.id === id) as IndicatorDefinition;
      return {
        indicator,
        query: parseIndicatorQuery(indicator, params, providers, { ignore: ['indicators', 'protection'] }),
      };
    }),
  );
}

function toValues(
  indicator: IndicatorDefinition,
  query: StoreQuery,
  result: Awaited<ReturnType<IndicatorStore['query']>>,
  mode: DisclosureMode,
  threshold: number,
): LiveValues {
  const protectedResult = protectOnce(result, mode, threshold);
  return {
    indicator: indicator.id,
    unit: indicator.unit === 'cases' ? 'cases' : query.unit,
    cells: protectedResult.cells.map((cell) => ({
      ...(cell.key as Record<string, string>),
      ...(cell.period === undefined ? {} : { period: cell.period }),
      value: cell.value,
      ...(cell.flag === undefined ? {} : { flag: cell.flag }),
    })),
    total: protectedResult.total.value,
    ...(protectedResult.total.flag === undefined ? {} : { totalFlag: protectedResult.total.flag }),
    disclosure: protectedResult.disclosure,
  };
}
