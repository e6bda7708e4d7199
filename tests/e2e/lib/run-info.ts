/** What a benchmark-like run records about where it ran, and its command-line options. */
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    /** 1-minute load average when the figures were written: the machine is shared. */
    loadAverage: Math.round(loadavg()[0]! * 10) / 10,
  };
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`figures written to ${path}`);
}

/** `--name value` options with defaults; unknown options stop the run. */
export function options<T extends Record<string, string>>(defaults: T): T {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }])),
  });
  return { ...defaults, ...values };
}

export const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
