/**
 * A small HTTP client for the end-to-end suite: one `request` over fetch that returns status, headers and the body
 * (parsed when JSON), and `api`, the typed client generated from the OpenAPI document (`@mosy/client`), for calls
 * whose shape the suite does not vary. Both keep every response body they saw, so the leak check can search them
 * all for identity.
 */
import { createMosyClient, type MosyClient } from '@mosy/client';

export interface Reply<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body when it is JSON (including problem+json), else undefined. */
  readonly body: T;
}

export interface RequestOptions {
  /** Bearer key or token. */
  readonly key?: string;
  /** Sent as application/json. */
  readonly json?: unknown;
  /** Sent as is, with `contentType`. */
  readonly body?: string | Buffer;
  readonly contentType?: string;
}

export interface Client {
  readonly url: string;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  /** The typed client, authenticated with `key` when given. */
  api(key?: string): MosyClient;
  /** Every response body received so far. */
  readonly bodies: string[];
}

export function createClient(url: string, bodies: string[] = []): Client {
  return {
    url,
    bodies,
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
      const headers: Record<string, string> = {};
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      let body: string | Buffer | undefined;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      } else if (options.body !== undefined) {
        headers['content-type'] = options.contentType ?? 'application/octet-stream';
        body = options.body;
      }
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      bodies.push(text);
      const contentType = response.headers.get('content-type') ?? '';
      let parsed: unknown;
      if (/json/.test(contentType) && text !== '') parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, contentType, text, body: parsed as T };
    },
    api(key) {
      return createMosyClient({
        baseUrl: url,
        ...(key === undefined ? {} : { key }),
        fetch: async (request) => {
          const response = await fetch(request);
          bodies.push(await response.clone().text());
          return response;
        },
      });
    },
  };
}

/** Throws with the body when the status is not the expected one. */
export function expectStatus<T>(reply: Reply<T>, status: number, what: string): T {
  if (reply.status !== status)
    throw new Error(`${what}: expected HTTP ${status}, got ${reply.status}: ${reply.text.slice(0, 500)}`);
  return reply.body;
}
