/**
 * No key, token or secret in any log line: the embedded runtime at LOG_LEVEL=debug, with its pino output captured,
 * serves requests with every kind of key (valid, revoked, unknown, the bootstrap token), issues and revokes keys
 * and takes a submission; none of the keys, the admin token or the pseudonym secret appears in what it logged.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { CALLERS, startWorld, type World } from './test-support/world.js';

let world: World;
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString('utf8'));
    done();
  },
});

beforeAll(async () => {
  world = await startWorld({ logger: createLogger({ name: 'log-test', level: 'debug', destination: sink }) });
}, 60_000);

afterAll(async () => {
  await world.close();
});

describe('logs', () => {
  it('hold no key, token or secret, whatever the requests', async () => {
    for (const caller of CALLERS) {
      for (const path of [
        '/v1/status',
        '/v1/admin/keys',
        '/v1/indicators/victims/values?protection=none',
        '/nope',
      ])
        await (await world.call(caller, 'GET', path)).arrayBuffer();
    }
    await (await world.call('provider', 'POST', '/v1/submissions', { records: world.records })).arrayBuffer();
    const issued = await world.call('bootstrap', 'POST', '/v1/admin/keys', { role: 'analyst' });
    const { id, key } = (await issued.json()) as { id: string; key: string };
    await (await world.call('bootstrap', 'DELETE', `/v1/admin/keys/${id}`)).arrayBuffer();
    await (
      await fetch(`${world.runtime.url}/v1/status`, { headers: { authorization: `Bearer ${key}` } })
    ).arrayBuffer();

    const log = lines.join('');
    // The capture works: the request log is there, at debug level everything is.
    expect(log).toContain('"msg":"request"');
    const secrets = [
      world.adminToken,
      world.pseudonymSecret,
      key,
      ...Object.values(world.auth)
        .filter((header): header is string => header !== undefined)
        .map((header) => header.replace(/^\S+\s+/, '')),
    ];
    for (const secret of secrets) expect(log.includes(secret), `a secret in the logs`).toBe(false);
    expect(log.toLowerCase()).not.toContain('bearer ');
  });

  it('redact the Authorization header if a log call is ever given one', () => {
    const out: string[] = [];
    const logger = createLogger({
      name: 'redact-test',
      level: 'debug',
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          out.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    logger.info({ req: { headers: { authorization: 'Bearer mosy_admin_leak' } } }, 'request');
    expect(out.join('')).toContain('"msg":"request"');
    expect(out.join('')).not.toContain('mosy_admin_leak');
  });
});
