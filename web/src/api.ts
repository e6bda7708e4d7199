/**
 * The typed client of the API for the page: same origin, signed in by the session cookie (which scripts cannot
 * read), and every request marked with `X-Requested-With`, which the server requires of cookie-authenticated
 * requests that change state.
 */
import { createMosyClient, type MosyClient, type Schema } from '@mosy/client';

export type WhoAmI = Schema<'WhoAmI'>;
export type Role = WhoAmI['role'];

export const client: MosyClient = createMosyClient({ baseUrl: location.origin });
client.use({
  onRequest({ request }) {
    request.headers.set('X-Requested-With', 'mosy-web');
    return request;
  },
});

/** Thrown when the session is gone (401), so the app can return to the sign-in page. */
export class SignedOut extends Error {}

/** A failed call as an error: `SignedOut` for 401, otherwise an `Error` with the problem's title. */
export function failure(response: Response, error: unknown): Error {
  if (response.status === 401) return new SignedOut();
  const title = (error as { title?: string } | undefined)?.title;
  return new Error(title ?? `HTTP ${response.status}`);
}

/** Who is signed in, or undefined when no session is. */
export async function whoAmI(): Promise<WhoAmI | undefined> {
  const { data, error, response } = await client.GET('/v1/session');
  if (response.status === 401) return undefined;
  if (data === undefined) throw failure(response, error);
  return data;
}

/** Signs in; undefined when the key is not accepted. */
export async function signIn(key: string): Promise<WhoAmI | undefined> {
  const { data, error, response } = await client.POST('/v1/session', { body: { key } });
  if (response.status === 401) return undefined;
  if (data === undefined) throw failure(response, error);
  return data;
}

export async function signOut(): Promise<void> {
  await client.DELETE('/v1/session');
}
