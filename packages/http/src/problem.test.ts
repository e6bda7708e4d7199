import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, problemHandler, toProblem } from './problem.js';

describe('problem details', () => {
  it('carries status, code and issues of a MosyError', () => {
    const problem = toProblem(
      new MosyError('version-regression', 'Version 1 is lower than 2.', {
        issues: [{ field: 'version', code: 'version-regression', message: 'lower' }],
      }),
    );
    expect(problem).toEqual({
      type: 'https://mosy.eu/problems/version-regression',
      title: 'Conflict',
      status: 409,
      detail: 'Version 1 is lower than 2.',
      code: 'version-regression',
      issues: [{ field: 'version', code: 'version-regression', message: 'lower' }],
    });
  });

  it('hides the message of internal errors', () => {
    expect(toProblem(new MosyError('internal', 'stack details')).detail).not.toContain('stack details');
  });
});

describe('problem responses', () => {
  async function answer(error: MosyError): Promise<Response> {
    const app = express();
    app.get('/', () => {
      throw error;
    });
    app.use(problemHandler(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      return await fetch(`http://127.0.0.1:${port}/`);
    } finally {
      server.close();
    }
  }

  it('tells when to retry a 503: an unavailable dependency is not a permanent failure', async () => {
    const reply = await answer(new MosyError('unavailable', 'Kafka is down'));
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await reply.json()).toMatchObject({ status: 503, code: 'unavailable', detail: 'Kafka is down' });
  });

  it('sends no Retry-After with a 500 or a 400', async () => {
    expect((await answer(new MosyError('internal', 'bug'))).headers.get('retry-after')).toBeNull();
    expect((await answer(new MosyError('invalid-request', 'no'))).headers.get('retry-after')).toBeNull();
  });
});
