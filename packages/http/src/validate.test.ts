import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MosyError } from '@mosy/core';
import { defineRoute } from './route.js';
import { validateRequest } from './validate.js';

const ROUTE = defineRoute({
  method: 'post',
  path: '/things/{id}',
  operationId: 'thing',
  summary: 'A fixture.',
  tags: ['fixture'],
  params: z.object({ id: z.string() }),
  query: z.strictObject({ mode: z.enum(['a', 'b'], { error: 'must be a or b' }).optional() }),
  body: {
    'application/json': z.strictObject({
      name: z.string({ error: 'name must be a string.' }),
      parts: z.array(z.strictObject({ size: z.number({ error: 'size must be a number.' }) })).optional(),
    }),
  },
  responses: { 200: { description: 'ok' } },
  problems: [400],
});

const request = (body: unknown, query: Record<string, unknown> = {}): Request =>
  ({ params: { id: 'x' }, query, body, method: 'POST', path: '/things/x' }) as unknown as Request;

const errorOf = (body: unknown, query?: Record<string, unknown>): MosyError => {
  try {
    validateRequest(ROUTE, request(body, query));
  } catch (error) {
    if (error instanceof MosyError) return error;
  }
  throw new Error('expected a MosyError');
};

describe('validateRequest', () => {
  it('returns the parsed parts of a valid request', () => {
    expect(validateRequest(ROUTE, request({ name: 'n' }, { mode: 'a' }))).toEqual({
      params: { id: 'x' },
      query: { mode: 'a' },
      body: { name: 'n' },
    });
  });

  it('refuses a body that is not an object as invalid-request', () => {
    const error = errorOf([1]);
    expect([error.code, error.message, error.issues]).toEqual([
      'invalid-request',
      'The body must be a JSON object.',
      [],
    ]);
  });

  it('refuses unknown top-level fields as unknown-field, naming the allowed ones', () => {
    const error = errorOf({ name: 'n', colour: 'red' });
    expect(error.code).toBe('unknown-field');
    expect(error.message).toBe('Unknown field(s): colour. Allowed: name, parts.');
  });

  it('names each invalid field by its path, coded invalid-field (unknown-field when nested)', () => {
    const error = errorOf({ name: 1, parts: [{ size: 'big' }, { size: 1, extra: true }] });
    expect(error.code).toBe('invalid-request');
    expect(error.issues).toEqual([
      { field: 'name', code: 'invalid-field', message: 'name must be a string.' },
      { field: 'parts.0.size', code: 'invalid-field', message: 'size must be a number.' },
      { field: 'parts.1.extra', code: 'unknown-field', message: 'unknown field' },
    ]);
  });

  it('names each invalid query parameter, coded invalid-query', () => {
    const error = errorOf({ name: 'n' }, { mode: 'c', other: '1' });
    expect(error.code).toBe('invalid-query');
    expect(error.issues).toEqual([
      { field: 'mode', code: 'invalid-query', message: 'mode: must be a or b' },
      { field: 'other', code: 'invalid-query', message: 'other: unknown parameter' },
    ]);
  });
});

describe('validateRequest with a body in several content types', () => {
  const UPLOAD = defineRoute({
    method: 'post',
    path: '/uploads',
    operationId: 'upload',
    summary: 'A fixture.',
    tags: ['fixture'],
    body: { 'application/json': z.strictObject({ rows: z.array(z.unknown()) }), 'text/csv': z.string() },
    responses: { 200: { description: 'ok' } },
    problems: [400, 415],
  });
  const app = express();
  app.post(
    '/uploads',
    express.json({ type: ['application/json', 'application/*+json'] }),
    express.text({ type: 'text/csv' }),
    (req, res) => {
      try {
        res.json({ body: validateRequest(UPLOAD, req).body });
      } catch (error) {
        res.status(400).json({ code: (error as MosyError).code });
      }
    },
  );
  let server: Server;
  const upload = async (type: string, body: string): Promise<unknown> => {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/uploads`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    return response.json();
  };
  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('picks the schema by content type, JSON including application/*+json', async () => {
    expect(await upload('application/json', '{"rows":[]}')).toEqual({ body: { rows: [] } });
    expect(await upload('application/vnd.mosy+json', '{"rows":[1]}')).toEqual({ body: { rows: [1] } });
    expect(await upload('text/csv', 'a,b')).toEqual({ body: 'a,b' });
  });

  it('refuses another content type as unsupported-media-type', async () => {
    expect(await upload('text/plain', 'hello')).toEqual({ code: 'unsupported-media-type' });
  });
});
