import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryEventBus } from './index.js';

const CHILD = fileURLToPath(new URL('./crash.fixture.ts', import.meta.url));

interface ChildReport {
  /** Offsets up to which a publish resolved, in order. */
  readonly published: number[];
  /** Batches [from, to) whose handler returned, in order. */
  readonly handled: [number, number][];
}

/** Runs the child on `dir` and SIGKILLs it once it has published `publishedAtLeast` more messages, plus `extraMs`. */
function runAndKill(dir: string, publishedAtLeast: number, extraMs: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@mosy/source', '--import', 'tsx', CHILD, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report: ChildReport = { published: [], handled: [] };
    let start: number | undefined;
    let buffered = '';
    let killScheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [what, a, b] = line.split(' ');
        if (what === 'ready') start = Number(a);
        if (what === 'published') report.published.push(Number(a));
        if (what === 'handled') report.handled.push([Number(a), Number(b)]);
      }
      const last = report.published[report.published.length - 1] ?? 0;
      if (!killScheduled && start !== undefined && last - start >= publishedAtLeast) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('error', reject);
    // 'close', not 'exit': it comes after stdout has been read to its end.
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child exited by itself (${signal ?? _code})`));
      else resolve(report);
    });
  });
}

describe('crash safety (SIGKILL of a publishing and consuming process)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it(
    'loses no acknowledged message and redelivers at most the uncommitted batch, kill after kill',
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'mosy-bus-crash-'));
      dirs.push(dir);
      let acknowledged = 0;
      for (const [round, extraMs] of [0, 7, 23, 61].entries()) {
        const report = await runAndKill(dir, 400, extraMs);
        acknowledged = Math.max(acknowledged, ...report.published);
        const lastBatch = report.handled[report.handled.length - 1];
        expect(lastBatch, `round ${round}: the child handled batches`).toBeDefined();

        const bus = await createMemoryEventBus({ dir, onError: () => undefined });
        try {
          const end = bus.stats('deadletter').endOffset;
          expect(end).toBeGreaterThanOrEqual(acknowledged);
          // The group resumes either after the last handled batch (its commit completed) or at it (the kill came
          // between handler and commit): never earlier, never later.
          const committed = end - (await bus.lag('deadletter', 'g'));
          expect([lastBatch![0], lastBatch![1]]).toContain(committed);

          // Every message up to the end is there, once, in publish order: versions are 1..end.
          const versions: number[] = [];
          const sub = await bus.consume(
            'deadletter',
            `check-${round}`,
            (batch) => {
              versions.push(...batch.map((m) => m.value.version));
              return Promise.resolve();
            },
            { maxBatch: 5000 },
          );
          const deadline = Date.now() + 10_000;
          while (versions.length < end - bus.stats('deadletter').startOffset && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          await sub.stop();
          const start = bus.stats('deadletter').startOffset;
          expect(versions).toEqual(Array.from({ length: end - start }, (_, i) => start + i + 1));
        } finally {
          await bus.close();
        }
      }
    },
  );
});
