/**
 * Schemathesis (property-based API testing from the OpenAPI document) against the embedded runtime, once per kind
 * of caller. `ensureSchemathesis` keeps a Python virtual environment with a pinned schemathesis under
 * `~/.cache/mosy`, installed from PyPI on first use; `startFuzzTarget` starts the embedded runtime with its demo data
 * on a temporary folder (rate limit off: schemathesis sends thousands of requests with one key); `runSchemathesis`
 * runs `st run` for one caller and reads its JSON report. The checks are the ones the API promises: no 5xx, and
 * every response conforms to the document (schema, status code, content type, headers).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@mosy/http';
import { loadDemoIfEmpty, startStandalone, type Standalone } from '@mosy/standalone';

export const SCHEMATHESIS_VERSION = '4.32.5';

/** The checks run on every response. */
export const CHECKS = [
  'not_a_server_error',
  'response_schema_conformance',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
] as const;

/**
 * Operations left out: the live stream answers a valid request with a Server-Sent Events stream that never ends,
 * which schemathesis would wait on until its request timeout. Its validation is covered by the hostile-input suite.
 */
export const EXCLUDED_OPERATIONS = ['liveValues'] as const;

/**
 * Schemathesis's configuration: the indicator-addressed operations get a real indicator id, so that generated
 * queries reach the report code instead of stopping at 404.
 */
const CONFIG = `[[operations]]
include-path-regex = "^/v1/(reports/[a-z-]+|indicators)/\\\\{id\\\\}"
parameters = { "path.id" = "victims" }
`;

export const FUZZ_CALLERS = ['none', 'provider', 'analyst', 'coordinator', 'admin'] as const;
export type FuzzCaller = (typeof FUZZ_CALLERS)[number];

/** Runs a program in `cwd` (schemathesis keeps its example database in `.schemathesis/` there). */
function run(
  file: string,
  args: readonly string[],
  timeoutMs: number,
  cwd = tmpdir(),
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number')
          reject(new Error(`${file} could not be run: ${error.message}`, { cause: error }));
        else resolve({ code: error === null ? 0 : (error.code as number), out: `${stdout}${stderr}` });
      },
    );
  });
}

/** The `st` executable of a virtual environment with the pinned schemathesis, created on first use. */
export async function ensureSchemathesis(): Promise<string> {
  const venv = join(homedir(), '.cache', 'mosy', `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = join(venv, 'bin', 'st');
  if (existsSync(st)) return st;
  mkdirSync(join(homedir(), '.cache', 'mosy'), { recursive: true });
  const created = await run('python3', ['-m', 'venv', venv], 120_000);
  if (created.code !== 0) throw new Error(`python3 -m venv failed: ${created.out}`);
  const installed = await run(
    join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    600_000,
  );
  if (installed.code !== 0 || !existsSync(st)) {
    rmSync(venv, { recursive: true, force: true });
    throw new Error(`pip install schemathesis==${SCHEMATHESIS_VERSION} failed: ${installed.out}`);
  }
  return st;
}

export interface FuzzTarget {
  readonly app: Standalone;
  /** The `Authorization` header of each caller (none for `none`). */
  readonly auth: Readonly<Record<FuzzCaller, string | undefined>>;
  close(): Promise<void>;
}

/** The embedded runtime with its demo data, on a fresh temporary folder and a free port. */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mosy-fuzz-'));
  const adminToken = `fuzz-admin-${Date.now()}`;
  const app = await startStandalone({
    dataDir,
    port: 0,
    adminToken,
    pseudonymSecret: 'fuzz-pseudonym-secret-of-at-least-32-bytes',
    logger: createLogger({ name: 'mosy-fuzz', level: 'silent' }),
    hardening: { rateLimitPerMinute: 100_000_000 },
    webDir: false,
  });
  const keys = await loadDemoIfEmpty(app, dataDir);
  if (keys === undefined) throw new Error('the demo dataset was not loaded');
  return {
    app,
    auth: {
      none: undefined,
      provider: `Bearer ${keys.provider.key}`,
      analyst: `Bearer ${keys.analyst}`,
      coordinator: `Bearer ${keys.coordinator}`,
      admin: `Bearer ${adminToken}`,
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface FuzzRunOptions {
  readonly st: string;
  readonly url: string;
  readonly authorization: string | undefined;
  /** Test cases per operation in the fuzzing phase. */
  readonly maxExamples: number;
  readonly phases: readonly ('examples' | 'coverage' | 'fuzzing' | 'stateful')[];
  readonly seed: number;
  /** Folder of the JSON report. */
  readonly reportDir: string;
}

export interface FuzzFailure {
  /** Schemathesis's code and title, e.g. `ST108 Response violates schema`. */
  readonly check: string;
  readonly operations: readonly string[];
  readonly count: number;
}

export interface FuzzRunSummary {
  readonly operationsTested: number;
  readonly testCases: number;
  /** Kinds of failed checks (a 5xx, or a response the document does not describe), with their operations. */
  readonly failures: readonly FuzzFailure[];
  /** Errors of schemathesis itself (not of the API), e.g. a strategy it could not draw from. */
  readonly toolErrors: readonly string[];
  readonly exitCode: number;
  readonly seconds: number;
  /** Schemathesis's console output, with the reproduction of each failure. */
  readonly outputFile: string;
}

interface StReport {
  readonly operations: { readonly tested: number };
  readonly test_cases: { readonly generated: number };
  readonly failures: readonly {
    readonly code: string;
    readonly title: string;
    readonly count: number;
    readonly operations: readonly string[];
  }[];
  readonly errors: readonly unknown[];
}

/** Runs schemathesis against every operation but the excluded ones, as one caller. */
export async function runSchemathesis(options: FuzzRunOptions): Promise<FuzzRunSummary> {
  const reportDir = options.reportDir;
  mkdirSync(reportDir, { recursive: true });
  const configFile = join(reportDir, 'schemathesis.toml');
  writeFileSync(configFile, CONFIG);
  const args = [
    '--config-file',
    configFile,
    'run',
    `${options.url}/openapi.json`,
    ...(options.authorization === undefined ? [] : ['--header', `Authorization: ${options.authorization}`]),
    '--checks',
    CHECKS.join(','),
    ...EXCLUDED_OPERATIONS.flatMap((id) => ['--exclude-operation-id', id]),
    '--max-examples',
    String(options.maxExamples),
    '--phases',
    options.phases.join(','),
    '--seed',
    String(options.seed),
    '--request-timeout',
    '30',
    // One worker: with two, Hypothesis parses lambda sources in two threads at once and CPython 3.11's `ast.parse`
    // fails with "SystemError: AST constructor recursion depth mismatch" (a tool error, not a response).
    '--workers',
    '1',
    '--report',
    'json',
    '--report-dir',
    reportDir,
  ];
  const started = Date.now();
  const { code, out } = await run(options.st, args, 30 * 60_000, reportDir);
  const file = readdirSync(reportDir).find((f) => f.endsWith('.json'));
  if (file === undefined)
    throw new Error(`schemathesis wrote no report (exit ${code}):\n${out.slice(-4000)}`);
  const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8')) as StReport;
  const outputFile = join(reportDir, 'output.txt');
  writeFileSync(outputFile, out);
  return {
    operationsTested: report.operations.tested,
    testCases: report.test_cases.generated,
    failures: report.failures.map((f) => ({
      check: `${f.code} ${f.title}`,
      operations: f.operations,
      count: f.count,
    })),
    toolErrors: report.errors.map((e) => JSON.stringify(e).slice(0, 600)),
    exitCode: code,
    seconds: Math.round((Date.now() - started) / 1000),
    outputFile,
  };
}
