/**
 * The embedded runtime as an operator runs it: the built CLI (`services/standalone/dist/main.js`) as a child
 * process on a data folder, for the fault and soak runs. A diagnostic report on SIGUSR2 gives its heap without
 * touching the product: `heapUsed()` asks for one and reads it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../services/standalone/dist/main.js',
);

export interface EmbeddedProcess {
  readonly url: string;
  readonly pid: number;
  readonly adminToken: string;
  /** Bytes of JavaScript heap in use, from a diagnostic report. */
  heapUsed(): Promise<number>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `env` adds to (or overrides) the settings of the run, e.g. `MOSY_ROLE` or `MOSY_REPORTING_COUNTRY`; `nodeArgs`
 * go to node before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses).
 */
export async function startEmbedded(
  dataDir: string,
  workDir: string,
  port = 0,
  env: Readonly<Record<string, string>> = {},
  nodeArgs: readonly string[] = [],
): Promise<EmbeddedProcess> {
  const reports = join(workDir, 'reports');
  mkdirSync(reports, { recursive: true });
  const adminToken = 'faults-admin-token-of-the-embedded-run';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reports}`, ...nodeArgs, MAIN],
    {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        MOSY_DATA_DIR: dataDir,
        MOSY_DEMO: '0',
        MOSY_ADMIN_TOKEN: adminToken,
        MOSY_PSEUDONYM_SECRET: 'faults-pseudonym-secret-of-at-least-32-bytes',
        MOSY_RATE_LIMIT_PER_MINUTE: '1000000',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = createWriteStream(join(workDir, 'embedded.log'), { flags: 'a' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((found, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no URL within 120 s:\n${seen}`)), 120_000);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString('utf8');
      const match = /running at (http:\/\/[^\s)]+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        found(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => fail(new Error(`the embedded runtime exited:\n${seen}`)));
  });
  return {
    url,
    pid: child.pid!,
    adminToken,
    async heapUsed() {
      for (const f of readdirSync(reports)) rmSync(join(reports, f));
      child.kill('SIGUSR2');
      for (let i = 0; i < 100; i++) {
        await new Promise((done) => setTimeout(done, 100));
        const [file] = readdirSync(reports);
        if (file === undefined) continue;
        try {
          const report = JSON.parse(readFileSync(join(reports, file), 'utf8')) as {
            javascriptHeap: { usedMemory: number };
          };
          return report.javascriptHeap.usedMemory;
        } catch {
          // still being written
        }
      }
      throw new Error('no diagnostic report within 10 s');
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      log.end();
    },
  };
}

/** Resident set size of a process, in bytes, from /proc. */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}
