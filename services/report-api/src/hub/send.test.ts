import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseQuarter } from '@mosy/core';
import { createDuckDbStores, type DuckDbStores } from '@mosy/store-duckdb';
import { SCHEDULER, createQuarterlyExports, type QuarterlyExports } from '../quarterly/exports.js';
import { createHubSender } from './send.js';

const NODE_KEY = 'mosy_node_the-secret-of-this-test';
const PERIOD = '2024-Q1';

interface Seen {
  method: string;
  url: string;
  authorization: string;
  body: { revision: number; observations: unknown[] };
}

let stores: DuckDbStores;
let exports: QuarterlyExports;
let server: Server;
let hubUrl: string;
let seen: Seen[];
/** The statuses the fake hub answers, in turn (the last one repeats). */
let answers: number[];

const bodyOf = async (req: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

beforeEach(async () => {
  stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
  exports = createQuarterlyExports({
    store: stores.store,
    registry: stores.registry,
    archive: stores.archive,
    audit: stores.audit,
    reportingCountry: 'PT',
    threshold: 5,
    now: () => Date.parse('2024-05-01T00:00:00Z'),
  });
  await exports.draft(parseQuarter(PERIOD), SCHEDULER);
  seen = [];
  answers = [];
  server = createServer((req, res) => {
    void bodyOf(req).then((text) => {
      seen.push({
        method: req.method!,
        url: req.url!,
        authorization: req.headers.authorization ?? '',
        body: JSON.parse(text) as Seen['body'],
      });
      const status = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          status === 200
            ? { country: 'PT', period: PERIOD, revision: 0, outcome: 'stored' }
            : { status, detail: `refused with ${status}.` },
        ),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  await new Promise((done) => server.close(done));
  await stores.close();
});

const sender = (sleeps: number[]) =>
  createHubSender(exports, {
    hubUrl,
    nodeKey: NODE_KEY,
    country: 'PT',
    attempts: 4,
    backoffMs: 100,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });

const messageOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error as Error).message,
  );

describe('createHubSender', () => {
  it('refuses to send a draft', async () => {
    expect(await messageOf(sender([])(PERIOD, 0))).toBe(
      'Version 0 of 2024-Q1 is a draft: publish it before sending it.',
    );
    expect(seen).toEqual([]);
  });

  it('retries 503s with doubling backoff and sends the published observations only', async () => {
    await exports.publish(PERIOD, 0, { keyId: 'k', role: 'coordinator' });
    answers = [503, 503, 200];
    const sleeps: number[] = [];
    expect(await sender(sleeps)(PERIOD, 0)).toEqual({
      country: 'PT',
      period: PERIOD,
      revision: 0,
      outcome: 'stored',
    });
    expect(sleeps).toEqual([100, 200]);
    expect(seen).toHaveLength(3);
    const { observations } = JSON.parse((await exports.read(PERIOD, 0, 'json')).content) as {
      observations: unknown[];
    };
    expect(observations.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.method).toBe('PUT');
      expect(request.url).toBe(`/v1/hub/reports/PT/${PERIOD}`);
      expect(request.authorization).toBe(`Bearer ${NODE_KEY}`);
      expect(request.body).toEqual({ revision: 0, observations });
    }
  });

  it('stops at the first refusal that is not worth retrying, and gives up after the attempts', async () => {
    await exports.publish(PERIOD, 0, { keyId: 'k', role: 'coordinator' });
    answers = [403];
    const refused = await messageOf(sender([])(PERIOD, 0));
    expect(refused).toBe('Not sent: the hub answered 403: refused with 403.');
    expect(seen).toHaveLength(1);
    answers = [500];
    const sleeps: number[] = [];
    const unavailable = await messageOf(sender(sleeps)(PERIOD, 0));
    expect(unavailable).toBe('Not sent after 4 attempts: the hub answered 500: refused with 500.');
    expect(sleeps).toEqual([100, 200, 400]);
    expect(`${refused}${unavailable}`).not.toContain(NODE_KEY);
  });
});
