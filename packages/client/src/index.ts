/**
 * @mosy/client: a typed client of the MoSy API. The types (`paths`, `components`) are generated from the OpenAPI
 * document, which is itself generated from each route's schema, so a call with a wrong path, parameter or body
 * does not compile and a response is typed as the server's schema says. Requests go through openapi-fetch.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './generated/api.js';

export type { components, operations, paths } from './generated/api.js';

/** A component schema of the API by name: `Schema<'Values'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type MosyClient = Client<paths>;

export interface MosyClientOptions extends Omit<ClientOptions, 'baseUrl' | 'headers'> {
  /** The API's origin, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** An API key or the bootstrap admin token, sent as `Authorization: Bearer <key>`. */
  readonly key?: string;
}

/** A client of the API at `baseUrl`, authenticated with `key` when given. */
export function createMosyClient({ baseUrl, key, ...options }: MosyClientOptions): MosyClient {
  return createClient<paths>({
    ...options,
    baseUrl,
    ...(key === undefined ? {} : { headers: { authorization: `Bearer ${key}` } }),
  });
}
