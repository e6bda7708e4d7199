import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { createSchemaRegistryClient, registryError, valueSubject } from './schema-registry.js';

const URL = 'http://127.0.0.1:8081/apis/ccompat/v7';
const responseError = (status: number, message: string): Error =>
  Object.assign(new Error(`Confluent_Schema_Registry - ${message}`), { name: 'ResponseError', status });

describe('schema registry errors', () => {
  it('names subjects by topic (TopicNameStrategy)', () => {
    expect(valueSubject('mosy.records.v1')).toBe('mosy.records.v1-value');
  });

  it('makes a 409 a conflict naming what was refused and the registry reason', () => {
    const error = registryError(
      responseError(409, 'RuleViolationException: Incompatible artifact: t-value [AVRO]'),
      'schema eu.mosy.SubmissionMessage under subject t-value',
      URL,
    );
    expect(error).toMatchObject({
      code: 'conflict',
      retriable: false,
      message:
        'schema registry refused schema eu.mosy.SubmissionMessage under subject t-value: not BACKWARD compatible with the ' +
        'versions registered there (HTTP 409: RuleViolationException: Incompatible artifact: t-value [AVRO])',
    });
  });

  it('makes an unreachable or failing registry unavailable and retriable', () => {
    // mappersmith reports a refused connection as status 400 with the socket error.
    const refused = registryError(
      responseError(400, 'Error, status 400: connect ECONNREFUSED 127.0.0.1:1'),
      'x',
      URL,
    );
    expect(refused).toMatchObject({ code: 'unavailable', retriable: true });
    expect(registryError(responseError(503, 'Service Unavailable'), 'x', URL)).toMatchObject({
      code: 'unavailable',
    });
    expect(registryError(new TypeError('fetch failed'), 'x', URL)).toMatchObject({ code: 'unavailable' });
  });

  it('makes refused credentials unauthenticated (401) or forbidden (403), not retriable', () => {
    expect(registryError(responseError(401, 'Unauthorized'), 'x', URL)).toMatchObject({
      code: 'unauthenticated',
      retriable: false,
      message: `schema registry ${URL} refused the credentials while x (HTTP 401): Unauthorized`,
    });
    expect(registryError(responseError(403, 'Forbidden'), 'x', URL)).toMatchObject({
      code: 'forbidden',
      retriable: false,
      message: `schema registry ${URL} does not allow these credentials while x (HTTP 403): Forbidden`,
    });
  });

  it('makes any other refusal internal and passes a MosyError through', () => {
    expect(registryError(responseError(422, 'Invalid schema'), 'x', URL)).toMatchObject({
      code: 'internal',
      retriable: false,
    });
    expect(registryError(responseError(400, 'Bad request'), 'x', URL)).toMatchObject({ code: 'internal' });
    const mosy = new MosyError('undecodable-message', 'u');
    expect(registryError(mosy, 'x', URL)).toBe(mosy);
  });
});

/** A stand-in for the registry's Confluent API on a free loopback port, recording each request. */
async function fakeRegistry(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const requests: { method: string; path: string; authorization: string | undefined }[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: request.headers.authorization,
    });
    request.resume();
    request.on('end', () => answer(request, response));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const json = (response: ServerResponse, body: unknown): void => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const SCHEMA = { type: 'record', name: 'T', namespace: 'eu.mosy.test', fields: [{ name: 'a', type: 'int' }] };

describe('schema registry credentials', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('sends basic authentication with every request, its own and those of the library', async () => {
    const registry = await fakeRegistry((request, response) => {
      if (request.method === 'GET' && request.url?.startsWith('/apis/ccompat/v7/config/')) {
        json(response, { compatibilityLevel: 'BACKWARD' });
      } else if (request.method === 'GET' && request.url === '/apis/ccompat/v7/schemas/ids/43') {
        json(response, { schema: JSON.stringify(SCHEMA) });
      } else if (request.method === 'POST') json(response, { id: 42 });
      else json(response, { compatibility: 'BACKWARD' });
    });
    close = registry.close;
    const client = createSchemaRegistryClient(registry.url, 'test', { username: 'reg', password: 's3cret' });
    expect(await client.register('t-value', SCHEMA)).toBe(42);
    expect((await client.writerType(43)).toBuffer({ a: 1 })).toEqual(Buffer.from([2]));
    const basic = `Basic ${Buffer.from('reg:s3cret').toString('base64')}`;
    expect(registry.requests).toEqual([
      { method: 'PUT', path: '/apis/ccompat/v7/config/t-value', authorization: basic },
      { method: 'GET', path: '/apis/ccompat/v7/config/t-value', authorization: basic },
      { method: 'POST', path: '/apis/ccompat/v7/subjects/t-value/versions', authorization: basic },
      { method: 'GET', path: '/apis/ccompat/v7/schemas/ids/43', authorization: basic },
    ]);
  });

  it('fails the registration as unauthenticated when the registry refuses them, without the password', async () => {
    const registry = await fakeRegistry((_request, response) => {
      response.writeHead(401, { 'content-type': 'text/plain' });
      response.end('Unauthorized');
    });
    close = registry.close;
    const client = createSchemaRegistryClient(registry.url, 'test', { username: 'reg', password: 'wrong' });
    const error: unknown = await client.register('t-value', SCHEMA).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyError);
    expect(error).toMatchObject({
      code: 'unauthenticated',
      retriable: false,
      message:
        `schema registry ${registry.url} refused the credentials while setting the compatibility of t-value to ` +
        'BACKWARD (HTTP 401): Unauthorized',
    });
    expect((error as Error).message).not.toContain('wrong');
    expect(registry.requests).toHaveLength(1);
  });
});

describe('a schema registry that does not answer', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  const FAST = { requestTimeoutMs: 200, registerAttempts: 3, retryPauseMs: 10 };
  /**
   * A fake registry that leaves unanswered the requests `hold` picks (held open until the test ends, when `close`
   * ends them) and answers the others as a registry that knows the subject and `SCHEMA` would.
   */
  async function registryHolding(hold: (request: IncomingMessage) => boolean) {
    const held: ServerResponse[] = [];
    const registry = await fakeRegistry((request, response) => {
      if (hold(request)) held.push(response);
      else if (request.method === 'GET' && request.url?.startsWith('/apis/ccompat/v7/config/')) {
        json(response, { compatibilityLevel: 'BACKWARD' });
      } else if (request.method === 'GET') json(response, { schema: JSON.stringify(SCHEMA) });
      else if (request.method === 'POST') json(response, { id: 42 });
      else json(response, { compatibility: 'BACKWARD' });
    });
    close = async () => {
      for (const response of held) response.destroy();
      await registry.close();
    };
    return registry;
  }

  it('fails a registration as unavailable after its tries, each bounded by the timeout', async () => {
    const registry = await registryHolding(() => true);
    const client = createSchemaRegistryClient(registry.url, 'test', undefined, FAST);
    const error: unknown = await client.register('t-value', SCHEMA).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'unavailable',
      retriable: true,
      message: `schema registry ${registry.url} did not answer within 200 ms while setting the compatibility of t-value to BACKWARD`,
    });
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      Array.from({ length: 3 }, () => 'PUT /apis/ccompat/v7/config/t-value'),
    );
  });

  it('registers on a later try when the registration request itself went unanswered', async () => {
    let posts = 0;
    const registry = await registryHolding((request) => request.method === 'POST' && ++posts === 1);
    const client = createSchemaRegistryClient(registry.url, 'test', undefined, FAST);
    expect(await client.register('t-value', SCHEMA)).toBe(42);
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /apis/ccompat/v7/config/t-value',
      'GET /apis/ccompat/v7/config/t-value',
      'POST /apis/ccompat/v7/subjects/t-value/versions',
      'PUT /apis/ccompat/v7/config/t-value',
      'GET /apis/ccompat/v7/config/t-value',
      'POST /apis/ccompat/v7/subjects/t-value/versions',
    ]);
  });

  it('fails a schema lookup that goes unanswered as unavailable, and asks again on the next read', async () => {
    let lookups = 0;
    const registry = await registryHolding((request) => request.method === 'GET' && ++lookups === 1);
    const client = createSchemaRegistryClient(registry.url, 'test', undefined, FAST);
    await expect(client.writerType(43)).rejects.toMatchObject({
      code: 'unavailable',
      message: `schema registry ${registry.url} unavailable while looking up schema id 43: test - Error, status 400: Timeout (200ms)`,
    });
    expect((await client.writerType(43)).toBuffer({ a: 1 })).toEqual(Buffer.from([2]));
    expect(lookups).toBe(2);
  });
});
