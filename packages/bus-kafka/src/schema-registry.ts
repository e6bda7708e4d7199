/**
 * The bus's use of a Confluent-compatible schema registry (Confluent, Apicurio's `ccompat` API): registering the
 * writer schema of each topic under its TopicNameStrategy subject (`<topic>-value`) with the subject's
 * compatibility pinned to BACKWARD, and looking up writer schemas by the id that each message carries. Registry
 * failures become MosyErrors: a schema the registry refuses as incompatible is a `conflict` (a deployment error,
 * not worth retrying), refused credentials are `unauthenticated` (HTTP 401) or `forbidden` (403), a registry that
 * cannot be reached is `unavailable`, an id the registry does not know makes the message `undecodable-message`.
 * Every request has a timeout: a registry that accepts a connection and never answers (seen with Apicurio while
 * several processes registered the same subjects at once) would otherwise hold a starting process forever, before
 * its first log line.
 */
import { MosyError } from '@mosy/core';
import registryPackage from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import type { RegistryAuth } from './options.js';

const { SchemaRegistry, SchemaType, COMPATIBILITY } = registryPackage;

/** What the bus needs of a schema registry. */
export interface SchemaRegistryClient {
  /**
   * Pins `subject`'s compatibility to BACKWARD and registers `schema` under it (a no-op returning the existing id
   * when that schema is registered already). Resolves to the schema's id. Rejects with a MosyError `conflict`
   * when the registry refuses the schema as incompatible with the subject's versions, `unavailable` when the
   * registry cannot be reached.
   */
  register(subject: string, schema: Readonly<Record<string, unknown>>): Promise<number>;
  /**
   * The writer schema with id `id`, compiled. Rejects with `undecodable-message` when the registry does not know
   * the id, `unavailable` when it cannot be asked. Cached: a schema id never changes meaning.
   */
  writerType(id: number): Promise<avro.Type>;
}

/** The subject of a topic's message values (Confluent's TopicNameStrategy). */
export const valueSubject = (topic: string): string => `${topic}-value`;

// mappersmith reports a request that never reached the registry as status 400 with the socket error as message.
const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|socket hang up|timeout/i;

interface ResponseErrorShape {
  readonly status?: number;
  readonly message?: string;
  readonly name?: string;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How long the client waits for the registry, and how often it tries a registration again. */
export interface RegistryTiming {
  /** A request without an answer for this long fails as `unavailable`. @defaultValue 10_000 */
  readonly requestTimeoutMs?: number;
  /**
   * Tries of a registration that fails as `unavailable` (unreachable, timed out, 5xx), with a doubling pause from
   * `retryPauseMs` between them. Registering is idempotent, so trying again is safe. @defaultValue 4
   */
  readonly registerAttempts?: number;
  /** @defaultValue 250 */
  readonly retryPauseMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A MosyError for a failed registry request about `what`. */
export function registryError(error: unknown, what: string, registryUrl: string): MosyError {
  if (error instanceof MosyError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ResponseErrorShape;
  const detail = messageOf(error).replace(/^Confluent_Schema_Registry - /, '');
  const status = shape.status;
  if (
    status === undefined ||
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    (status === 400 && NETWORK_FAILURE.test(detail))
  ) {
    return new MosyError(
      'unavailable',
      `schema registry ${registryUrl} unavailable while ${what}: ${detail}`,
      { cause: error },
    );
  }
  if (status === 401 || status === 403) {
    const refused = status === 401 ? 'refused the credentials' : 'does not allow these credentials';
    return new MosyError(
      status === 401 ? 'unauthenticated' : 'forbidden',
      `schema registry ${registryUrl} ${refused} while ${what} (HTTP ${status}): ${detail}`,
      { cause: error },
    );
  }
  if (status === 409 || shape.name === 'ConfluentSchemaRegistryCompatibilityError') {
    return new MosyError(
      'conflict',
      `schema registry refused ${what}: not BACKWARD compatible with the versions registered there (HTTP ${status}: ${detail})`,
      { cause: error },
    );
  }
  return new MosyError(
    'internal',
    `schema registry request failed while ${what} (HTTP ${status}): ${detail}`,
    { cause: error },
  );
}

/**
 * A client of the registry at `url`, e.g. `http://127.0.0.1:8081/apis/ccompat/v7`, sending `auth` (if any) as
 * HTTP basic authentication with every request.
 */
export function createSchemaRegistryClient(
  url: string,
  clientId: string,
  auth?: RegistryAuth,
  timing: RegistryTiming = {},
): SchemaRegistryClient {
  const requestTimeoutMs = timing.requestTimeoutMs ?? 10_000;
  const registerAttempts = timing.registerAttempts ?? 4;
  const retryPauseMs = timing.retryPauseMs ?? 250;
  const base = url.replace(/\/+$/, '');
  const registry = new SchemaRegistry({
    host: base,
    clientId,
    ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}),
    // mappersmith sends a request without a timeout unless a middleware gives it one; a timed-out request fails
    // as status 400 "Timeout (N ms)", which registryError makes `unavailable`.
    middlewares: [
      () => ({
        prepareRequest: (next) => next().then((request) => request.enhance({ timeout: requestTimeoutMs })),
      }),
    ],
  });
  const authorization: Record<string, string> = auth
    ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
    : {};
  const types = new Map<number, Promise<avro.Type>>();

  async function pinCompatibility(subject: string, attempt = 1): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${base}/config/${encodeURIComponent(subject)}`, {
        signal: AbortSignal.timeout(requestTimeoutMs),
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...authorization },
        body: JSON.stringify({ compatibility: 'BACKWARD' }),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const failure = timedOut
        ? `did not answer within ${requestTimeoutMs} ms`
        : `unreachable: ${messageOf(error)}`;
      throw new MosyError(
        'unavailable',
        `schema registry ${base} ${failure} while setting the compatibility of ${subject} to BACKWARD`,
        { cause: error },
      );
    }
    // Processes starting together race to create the subject's rule; the loser's 409 ("rule already exists") is
    // answered by setting it again, which now updates the rule the winner created.
    if (response.status === 409 && attempt < 3) {
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      return pinCompatibility(subject, attempt + 1);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw registryError(
        Object.assign(new Error(body || response.statusText), { status: response.status }),
        `setting the compatibility of ${subject} to BACKWARD`,
        base,
      );
    }
  }

  async function registerOnce(subject: string, schema: Readonly<Record<string, unknown>>): Promise<number> {
    await pinCompatibility(subject);
    const name = [schema.namespace, schema.name].filter((part) => typeof part === 'string').join('.');
    try {
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, compatibility: COMPATIBILITY.BACKWARD },
      );
      return id;
    } catch (error) {
      throw registryError(error, `schema ${name} under subject ${subject}`, base);
    }
  }

  return {
    async register(subject, schema) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await registerOnce(subject, schema);
        } catch (error) {
          const retriable = error instanceof MosyError && error.code === 'unavailable';
          if (!retriable || attempt >= registerAttempts) throw error;
          await sleep(retryPauseMs * 2 ** (attempt - 1));
        }
      }
    },

    writerType(id) {
      let type = types.get(id);
      if (!type) {
        type = registry.getSchema(id).then(
          (schema) => schema as unknown as avro.Type,
          (error: unknown) => {
            types.delete(id);
            const status = (error as ResponseErrorShape | undefined)?.status;
            if (status === 404) {
              throw new MosyError(
                'undecodable-message',
                `schema id ${id} is unknown to the schema registry`,
                { cause: error },
              );
            }
            throw registryError(error, `looking up schema id ${id}`, base);
          },
        );
        types.set(id, type);
      }
      return type;
    },
  };
}
