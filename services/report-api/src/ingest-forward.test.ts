import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, defineRoute, finishApp } from '@mosy/http';
import { createIngestForward } from './ingest-forward.js';

const ECHO = defineRoute({
  method: 'post',
  path: '/v1/echo/{id}',
  operationId: 'echo',
  summary: 'Echo.',
  tags: ['test'],
  responses: { 200: { description: 'Echoed.' } },
  problems: [],
});
const SLOW = defineRoute({ ...ECHO, method: 'get', path: '/v1/slow', operationId: 'slow' });

/** What the fake ingest saw of the last forwarded request. */
let seen: { url: string; headers: IncomingMessage['headers']; body: string } | undefined;
let upstream: Server;
let proxy: Server;
let down: Server;

const listen = (server: Server): Promise<string> =>
  new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

function proxyApp(target: string): express.Express {
  const app = express();
  app.use(
    createIngestForward({
      target: new URL(target),
      routes: [ECHO, SLOW],
      maxBodyBytes: 1000,
      timeoutMs: 2000,
    }),
  );
  finishApp(app, createLogger({ name: 'test', level: 'silent' }));
  return app;
}

let base = '';
let upstreamUrl = '';
let baseDown = '';

beforeAll(async () => {
  upstream = createServer((req, res) => {
    if (req.url === '/v1/slow') return; // never answers
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      res.writeHead(201, {
        'content-type': 'application/json',
        'set-cookie': 'a=b',
        connection: 'keep-alive',
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  const target = await listen(upstream);
  upstreamUrl = target;
  proxy = createServer(proxyApp(target));
  base = await listen(proxy);
  // An ingest that is not there: a port nothing listens on.
  const closed = createServer();
  const gone = await listen(closed);
  await new Promise((done) => closed.close(done));
  down = createServer(proxyApp(gone));
  baseDown = await listen(down);
});

afterAll(async () => {
  upstream.closeAllConnections();
  for (const server of [proxy, upstream, down]) await new Promise((done) => server.close(done));
});

/** A POST whose body is sent in chunks without a Content-Length. */
function chunked(url: string, chunks: readonly string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/csv' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('forwarding ingest routes', () => {
  it('streams the request and the answer, with the cookie, without hop-by-hop headers', async () => {
    const res = await fetch(`${base}/v1/echo/7?dryRun=true`, {
      method: 'POST',
      headers: { cookie: 'mosy_session=abc', 'x-requested-with': 'x', 'content-type': 'text/csv' },
      body: 'a,b\n1,2\n',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.getSetCookie()).toEqual(['a=b']);
    expect(seen?.url).toBe('/v1/echo/7?dryRun=true');
    expect(seen?.body).toBe('a,b\n1,2\n');
    expect(seen?.headers.cookie).toBe('mosy_session=abc');
    expect(seen?.headers['x-requested-with']).toBe('x');
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
    const chunkedBody = await chunked(`${base}/v1/echo/8`, ['x'.repeat(400), 'y'.repeat(400)]);
    expect(chunkedBody.status).toBe(201);
    expect(seen?.body).toBe('x'.repeat(400) + 'y'.repeat(400));
  });

  it('refuses a body over the limit, declared or streamed, with a 413 problem', async () => {
    seen = undefined;
    const declared = await fetch(`${base}/v1/echo/1`, { method: 'POST', body: 'z'.repeat(1001) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { code: string }).code).toBe('payload-too-large');
    expect(seen).toBeUndefined();
    const streamed = await chunked(`${base}/v1/echo/2`, ['z'.repeat(600), 'z'.repeat(600)]);
    expect(streamed.status).toBe(413);
    expect((JSON.parse(streamed.body) as { code: string }).code).toBe('payload-too-large');
  });

  it('answers 503 with Retry-After when ingest is silent or not there', async () => {
    const silent = await fetch(`${base}/v1/slow`);
    expect(silent.status).toBe(503);
    expect(silent.headers.get('retry-after')).not.toBeNull();
    expect(((await silent.json()) as { detail: string }).detail).toBe(
      'The ingest service did not answer within 2000 ms.',
    );
    const gone = await fetch(`${baseDown}/v1/echo/1`, { method: 'POST', body: '{}' });
    expect(gone.status).toBe(503);
    expect(((await gone.json()) as { detail: string }).detail).toMatch(
      /^The ingest service cannot be reached/,
    );
  });

  it("drops the headers the Connection header names, and appends to a client's X-Forwarded-For", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${base}/v1/echo/9`,
        {
          method: 'POST',
          headers: {
            connection: 'keep-alive, x-hop',
            'x-hop': 'for this connection only',
            te: 'trailers',
            'proxy-authorization': 'Basic eDp5',
            'x-forwarded-for': '203.0.113.7',
            'content-type': 'text/csv',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end('a\n');
    });
    expect(status).toBe(201);
    for (const name of ['x-hop', 'te', 'proxy-authorization', 'expect'])
      expect(seen?.headers[name]).toBeUndefined();
    expect(seen?.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
  });

  it('refuses dot segments, which a URL parser would resolve out of the route, with a 400 problem', async () => {
    seen = undefined;
    // Sent as written (a URL string, in fetch or here, would be resolved before sending).
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(base);
      const req = request({ hostname, port, path: '/v1/echo/%2e%2e?x=1', method: 'POST' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect((JSON.parse(answer.body) as { detail: string }).detail).toBe(
      'A path segment may not be `.` or `..`.',
    );
    expect(seen).toBeUndefined();
  });

  it('keeps the path under a target that has a path of its own', async () => {
    const under = createServer(proxyApp(`${upstreamUrl}/ingest/`));
    const url = await listen(under);
    try {
      const res = await fetch(`${url}/v1/echo/5?a=b`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(201);
      expect(seen?.url).toBe('/ingest/v1/echo/5?a=b');
    } finally {
      await new Promise((done) => under.close(done));
    }
  });

  it('forwards only the routes it was given', async () => {
    const res = await fetch(`${base}/v1/other`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
