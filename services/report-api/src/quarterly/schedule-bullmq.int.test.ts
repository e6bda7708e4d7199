// The quarterly draft job on BullMQ with real Redis and the ClickHouse archive, each scheduler a process of its
// own (`schedule.child.ts`), the clock advanced by the test through a file: two processes sharing the queue build
// each quarter's draft exactly once, and when the process building a draft is killed in the middle of the build,
// the process started after it builds that draft, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { createClickHouseStores, type ClickHouseStores } from '@mosy/store-clickhouse';

const REDIS_URL = process.env.MOSY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLICKHOUSE_URL = process.env.MOSY_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const CHILD = fileURLToPath(new URL('./schedule.child.ts', import.meta.url));

let shared: ClickHouseStores;
let database: string;
let queueName: string;
let dir: string;
let clockFile: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  database = `test_${randomUUID().replaceAll('-', '')}`;
  shared = await createClickHouseStores({ url: CLICKHOUSE_URL, database });
  queueName = `test-quarterly-${randomUUID()}`;
  dir = mkdtempSync(join(tmpdir(), 'mosy-quarterly-'));
  clockFile = join(dir, 'clock');
  setClock('2025-01-20T00:00:00Z');
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  const u = new URL(REDIS_URL);
  const queue = new Queue(queueName, {
    connection: { host: u.hostname, port: Number(u.port || 6379) },
    prefix: 'mosy-test',
  });
  await queue.obliterate({ force: true });
  await queue.close();
  await shared.close();
  const drop = await fetch(
    `${CLICKHOUSE_URL}/?query=${encodeURIComponent(`DROP DATABASE IF EXISTS ${database}`)}`,
    {
      method: 'POST',
    },
  );
  expect(drop.ok).toBe(true);
  rmSync(dir, { recursive: true, force: true });
});

function setClock(iso: string): void {
  // Written beside and renamed over, so a scheduler reading the clock never sees the file empty (writeFileSync
  // truncates first), which it would read as 1970 and build a draft of 1969-Q3.
  writeFileSync(`${clockFile}.next`, String(Date.parse(iso)));
  renameSync(`${clockFile}.next`, clockFile);
}

/** Starts a scheduler process; resolves once it has scheduled the job, with a promise of its `counting` line. */
async function startProcess(
  speed: 'slow' | 'normal',
): Promise<{ child: ChildProcess; counting: Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@mosy/source',
      '--import',
      'tsx',
      CHILD,
      REDIS_URL,
      queueName,
      CLICKHOUSE_URL,
      database,
      clockFile,
      speed,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  let out = '';
  const seen = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(line)) resolve();
      };
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        check();
      });
      child.once('exit', (code) =>
        reject(new Error(`the scheduler process exited (${code}) before "${line}"`)),
      );
      check();
    });
  const counting = seen('counting');
  counting.catch(() => undefined);
  await seen('ready');
  return { child, counting };
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const stored = async (period: string) => (await shared.archive.list(period)).length > 0;
const builds = async () =>
  (await shared.audit.list())
    .filter((e) => e.action === 'quarterly-build')
    .map((e) => e.resource)
    .sort();

describe('the quarterly draft job on BullMQ', () => {
  it('builds each quarter’s draft exactly once with two scheduler processes', async () => {
    await Promise.all([startProcess('normal'), startProcess('normal')]);
    for (const [clock, period] of [
      ['2025-01-20T00:00:00Z', '2024-Q4'],
      ['2025-04-20T00:00:00Z', '2025-Q1'],
      ['2025-07-20T00:00:00Z', '2025-Q2'],
    ] as const) {
      setClock(clock);
      await until(`the draft of ${period}`, () => stored(period));
    }
    // More occurrences run with every draft stored: none builds again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await builds()).toEqual([
      '/v1/exports/quarterly/2024-Q4/0',
      '/v1/exports/quarterly/2025-Q1/0',
      '/v1/exports/quarterly/2025-Q2/0',
    ]);
    expect((await shared.archive.list()).map((v) => `${v.period} r${v.revision}`)).toEqual([
      '2025-Q2 r0',
      '2025-Q1 r0',
      '2024-Q4 r0',
    ]);
  }, 90_000);

  it('builds the draft once when the process building it is killed mid-build and another takes over', async () => {
    const first = await startProcess('slow');
    await first.counting;
    first.child.kill('SIGKILL');
    expect(await builds()).toEqual([]);
    await startProcess('normal');
    await until('the draft of 2024-Q4', () => stored('2024-Q4'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await builds()).toEqual(['/v1/exports/quarterly/2024-Q4/0']);
    expect((await shared.archive.list()).map((v) => `${v.period} r${v.revision}`)).toEqual(['2024-Q4 r0']);
  }, 90_000);
});
