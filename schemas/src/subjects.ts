/**
 * The Avro subjects of MoSy and their versions, read from `avro/<subject>/v<N>.avsc` beside this package's sources
 * (the same relative path from `src/` and `dist/`, so it works in tests and in the build). A subject is a message
 * type; each logical topic carries one. Schemas are read once and cached; the files are the source of truth that a
 * schema registry is fed from.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MosyError } from '@mosy/core';
import type { Topic } from '@mosy/core';
import avro from 'avsc';

/** Every subject, one per logical topic. */
export const SUBJECTS = [
  'mosy.submission',
  'mosy.normalized-record',
  'mosy.dead-letter',
  'mosy.linkage',
] as const;
export type Subject = (typeof SUBJECTS)[number];

/** The subject each logical topic carries. */
export const TOPIC_SUBJECTS: Readonly<Record<Topic, Subject>> = {
  submissions: 'mosy.submission',
  records: 'mosy.normalized-record',
  deadletter: 'mosy.dead-letter',
  linkage: 'mosy.linkage',
};

/** One version of a subject's schema. */
export interface SchemaVersion {
  readonly subject: Subject;
  /** 1, 2, …: the `N` of `v<N>.avsc`. */
  readonly version: number;
  /** The schema as parsed JSON, e.g. to register with a schema registry. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The compiled avsc type (unions are unwrapped where unambiguous, as avsc does by default). */
  readonly type: avro.Type;
}

const AVRO_DIR = fileURLToPath(new URL('../avro/', import.meta.url));
const VERSION_FILE = /^v([1-9][0-9]*)\.avsc$/;
const cache = new Map<Subject, ReadonlyMap<number, SchemaVersion>>();

export const isSubject = (name: string): name is Subject => (SUBJECTS as readonly string[]).includes(name);

function versionsOf(subject: Subject): ReadonlyMap<number, SchemaVersion> {
  const cached = cache.get(subject);
  if (cached) return cached;
  if (!isSubject(subject)) throw new MosyError('not-found', `unknown Avro subject "${String(subject)}"`);
  const dir = `${AVRO_DIR}${subject}`;
  const versions = new Map<number, SchemaVersion>();
  for (const file of readdirSync(dir)) {
    const match = VERSION_FILE.exec(file);
    if (!match?.[1]) continue;
    const version = Number(match[1]);
    const schema = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Record<string, unknown>;
    versions.set(version, { subject, version, schema, type: avro.Type.forSchema(schema as avro.Schema) });
  }
  const sorted = new Map([...versions].sort(([a], [b]) => a - b));
  const numbers = [...sorted.keys()];
  // A gap would make "v(N) reads v(N-1)" skip a step of the history.
  if (numbers.length === 0 || numbers.some((n, i) => n !== i + 1)) {
    throw new MosyError('internal', `Avro subject ${subject} has versions [${numbers.join(', ')}], not 1..N`);
  }
  cache.set(subject, sorted);
  return sorted;
}

/** The versions of a subject, ascending (always 1..N). */
export function schemaVersions(subject: Subject): readonly number[] {
  return [...versionsOf(subject).keys()];
}

/** A subject's schema at `version`, or the latest one. Rejects an unknown subject or version with `not-found`. */
export function loadSchema(subject: Subject, version?: number): SchemaVersion {
  const versions = versionsOf(subject);
  const wanted = version ?? Math.max(...versions.keys());
  const found = versions.get(wanted);
  if (!found) throw new MosyError('not-found', `Avro subject ${subject} has no version ${wanted}`);
  return found;
}

/** A subject's highest version: what producers write. */
export function latestSchema(subject: Subject): SchemaVersion {
  return loadSchema(subject);
}
