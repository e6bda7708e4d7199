/**
 * What the embedded runtime loads. Its library entry is imported, not started, in a child node process (sources
 * through tsx, as the other tests run them) whose module resolve hook records every module resolved and who asked
 * for it; the CommonJS modules required behind them come from the require cache. The embedded runtime must load
 * no Kafka, ClickHouse or Redis client and no test library: those belong to each distributed service's `main.ts`
 * and to the tests. A control run on `@mosy/distributed` shows that the probe does see them where they are.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Packages the embedded runtime must not load, and the workspaces that would bring them. */
const FORBIDDEN = new Set([
  'kafkajs',
  '@clickhouse/client',
  'bullmq',
  'ioredis',
  'vitest',
  '@vitest/runner',
  '@mosy/distributed',
  '@mosy/bus-kafka',
  '@mosy/store-clickhouse',
  '@mosy/scheduler-bullmq',
  '@mosy/testkit',
]);

/** Runs in the loader's thread: reports each resolved module and its importer to the main thread. */
const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage({ url: result.url, parent: context.parentURL });
  return result;
}`;

/**
 * Imports `entry` in the child and prints what was loaded. The sentinel import comes last on the same port, so
 * once it arrives every earlier message has.
 */
const PROBE = `
import { writeSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
const [entry, hooks] = process.argv.slice(1);
const SENTINEL = 'data:text/javascript,export{}';
const loaded = [];
const { port1, port2 } = new MessageChannel();
const done = new Promise((resolve) => port1.on('message', (m) => (m.url === SENTINEL ? resolve() : loaded.push(m))));
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
await import(entry);
await import(SENTINEL);
await done;
for (const file of Object.keys(createRequire(entry).cache)) loaded.push({ url: pathToFileURL(file).href });
writeSync(1, JSON.stringify(loaded));
process.exit(0);`;

interface Loaded {
  readonly url: string;
  readonly parent?: string;
}

/** Every module that importing the entry file loads. */
function modulesLoadedBy(entry: string): Loaded[] {
  const run = spawnSync(
    process.execPath,
    [
      '--conditions=@mosy/source',
      '--import',
      'tsx',
      '--input-type=module',
      '--eval',
      PROBE,
      pathToFileURL(join(REPO, entry)).href,
      HOOKS,
    ],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Loaded[];
}

/** The package a module URL belongs to: `kafkajs`, `@clickhouse/client`, or `@mosy/<folder>` for a workspace. */
function packageOf(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const path = fileURLToPath(url);
  const inModules = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (inModules >= 0) {
    const [scope, name] = path.slice(inModules + 14).split(sep);
    return scope?.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (!path.startsWith(REPO + sep)) return undefined;
  const [folder, name] = path.slice(REPO.length + 1).split(sep);
  if (folder === 'schemas') return '@mosy/schemas';
  return folder === 'packages' || folder === 'services' ? `@mosy/${name}` : undefined;
}

/** The forbidden packages among the loaded modules, each with the allowed files that loaded it (where known). */
function forbiddenIn(loaded: readonly Loaded[]): string[] {
  const found = new Map<string, Set<string>>();
  for (const { url, parent } of loaded) {
    const pkg = packageOf(url);
    if (pkg === undefined || !FORBIDDEN.has(pkg)) continue;
    const from = parent === undefined ? undefined : packageOf(parent);
    if (from !== undefined && FORBIDDEN.has(from)) continue; // reached through one already reported
    const importers = found.get(pkg) ?? new Set<string>();
    if (parent !== undefined) importers.add(fileURLToPath(parent).slice(REPO.length + 1));
    found.set(pkg, importers);
  }
  return [...found]
    .map(([pkg, importers]) => (importers.size === 0 ? pkg : `${pkg} ← ${[...importers].sort().join(', ')}`))
    .sort();
}

const packagesIn = (loaded: readonly Loaded[]): Set<string> =>
  new Set(loaded.flatMap(({ url }) => packageOf(url) ?? []));

describe('the module graph of the embedded runtime', () => {
  it('loads no Kafka, ClickHouse or Redis client and no test library', () => {
    const loaded = modulesLoadedBy('services/standalone/src/index.ts');
    const packages = packagesIn(loaded);
    // The probe saw the embedded runtime's own graph: adapters, services, the demo data and a CommonJS package.
    for (const pkg of [
      '@mosy/store-duckdb',
      '@mosy/bus-memory',
      '@mosy/report-api',
      '@mosy/synthetic',
      'express',
    ])
      expect(packages).toContain(pkg);
    expect(forbiddenIn(loaded)).toEqual([]);
  }, 60_000);

  it('sees those clients where they are: in the distributed wiring', () => {
    const packages = packagesIn(modulesLoadedBy('packages/distributed/src/index.ts'));
    expect(packages).toContain('kafkajs');
    expect(packages).toContain('@clickhouse/client');
  }, 60_000);
});
