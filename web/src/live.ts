/**
 * Follows the live stream (`GET /v1/live`, Server-Sent Events) through the typed client: the response body is read
 * as a stream and parsed by `eventsource-parser`, each `snapshot` or `update` handed on as parsed values. When the
 * stream ends or fails it is opened again after a pause (the server's `retry`, 2 s), and the new snapshot replaces
 * what was shown, so nothing is missed while it was closed. A 401 stops it (the session is gone).
 */
import { createParser } from 'eventsource-parser';
import type { Schema } from '@mosy/client';
import { SignedOut, client, failure } from './api.js';
import { protectionQuery } from './protection.js';

export type LiveValues = Schema<'Values'>;
export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveOptions {
  readonly indicators: readonly string[];
  /** A coordinator's exact values (`protection=none`, audited by the server when the stream opens). */
  readonly exact?: boolean;
  readonly onValues: (values: readonly LiveValues[], at: Date) => void;
  readonly onState: (state: LiveState) => void;
  /** Called with `SignedOut` when the session is gone, which ends following. */
  readonly onError: (error: unknown) => void;
  /** @defaultValue 2000 */
  readonly retryMs?: number;
}

/** Starts following; the function returned stops. */
export function followLive(options: LiveOptions): () => void {
  const controller = new AbortController();
  let stopped = false;
  let retryMs = options.retryMs ?? 2000;

  const once = async (): Promise<void> => {
    const { response, error } = await client.GET('/v1/live', {
      params: {
        query: {
          indicators: options.indicators.join(','),
          interval: 'quarter',
          ...protectionQuery(options.exact ?? false),
        },
      },
      parseAs: 'stream',
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) throw failure(response, error);
    const parser = createParser({
      onEvent(event) {
        if (event.event === 'snapshot' || event.event === 'update') {
          options.onState('live');
          options.onValues(JSON.parse(event.data) as LiveValues[], new Date());
        }
      },
      onRetry(ms) {
        retryMs = ms;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  };

  const run = async (): Promise<void> => {
    options.onState('connecting');
    while (!stopped) {
      try {
        await once();
      } catch (error) {
        if (stopped) return;
        if (error instanceof SignedOut) {
          options.onError(error);
          return;
        }
        // Anything else (the network, a server restarting, a stream cut by a proxy): open it again.
      }
      if (stopped) return;
      options.onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();

  return () => {
    stopped = true;
    controller.abort();
  };
}
