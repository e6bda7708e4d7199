/**
 * `MOSY_DUCKDB_MEMORY_LIMIT` reaches DuckDB: the embedded runtime opened with a limit logs the limit its DuckDB
 * instance reports, in DuckDB's own units (300MB is 286.1 MiB), so the setting is the one the instance runs with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '@mosy/http';
import { startStandalone } from './standalone.js';

it('runs DuckDB under the memory limit it is given, and logs the limit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mosy-memory-'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  try {
    const runtime = await startStandalone({
      dataDir: dir,
      port: 0,
      webDir: false,
      duckDbMemoryLimit: '300MB',
      logger: createLogger({ name: 'memory-test', level: 'info', destination: sink }),
    });
    await runtime.close();
    const opened = lines
      .map((line) => JSON.parse(line) as { msg: string; memoryLimit?: string })
      .filter((line) => line.msg === 'DuckDB store opened');
    expect(opened.map((line) => line.memoryLimit)).toEqual(['286.1 MiB']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
