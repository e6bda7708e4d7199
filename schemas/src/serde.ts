/**
 * Typed serialisation of the messages of each logical topic: the TypeScript shapes of `@mosy/core` (records.ts) to
 * Avro binary and back. The conversion is explicit rather than left to avsc, because the shapes differ in small
 * ways that matter for exact round trips: an absent optional property is Avro `null`, a raw provider value is a
 * wrapped union branch (`long` for safe integers, else `double`), and canonical fields are one record field each.
 * Decoding validates what the TypeScript types promise (record kind, provider type) so a consumer never sees a
 * value its types rule out.
 */
import {
  CANONICAL_FIELDS,
  MosyError,
  PROVIDER_TYPES,
  RECORD_KINDS,
  encodingFromBytes,
  encodingToBytes,
  isCanonicalField,
  isCode,
  isMappedRecord,
} from '@mosy/core';
import type {
  CanonicalValues,
  DeadLetter,
  LinkageMessage,
  MappedFields,
  NormalizedRecord,
  ProviderType,
  RawValue,
  RecordKind,
  SubmissionMessage,
  Topic,
  TopicPayloads,
} from '@mosy/core';
import type avro from 'avsc';
import { TOPIC_SUBJECTS, latestSchema, loadSchema, schemaVersions } from './subjects.js';
import type { Subject } from './subjects.js';

/** Encodes and decodes the messages of one topic with one version of its subject's schema. */
export interface Serde<T> {
  readonly subject: Subject;
  /** The schema version this serde writes (and reads by default). */
  readonly version: number;
  /** Avro binary of `value`; throws a MosyError `internal` if the value does not fit the schema. */
  encode(value: T): Buffer;
  /**
   * Encodes into `buffer` from `offset`, for writers that pack many values into one buffer. Returns the offset
   * after the value, or a negative number (minus the bytes missing) when the buffer is too small; throws like
   * `encode` when the value does not fit the schema.
   */
  encodeInto(value: T, buffer: Buffer, offset: number): number;
  /**
   * Decodes Avro binary written with version `writerVersion` of the subject (default: `version`), resolving an
   * older writer schema to this one. Throws a MosyError `undecodable-message` on bad bytes.
   */
  decode(buffer: Buffer, writerVersion?: number): T;
  /** The Avro-shaped value (wrapped unions, nulls), for adapters that encode with their own avsc, e.g. a registry. */
  toAvro(value: T): unknown;
  /** The inverse of `toAvro`, for a value decoded with this serde's schema. */
  fromAvro(value: unknown): T;
}

export interface SerdeOptions {
  /** The schema version to write. @defaultValue the latest */
  readonly version?: number;
}

type AvroObject = Record<string, unknown>;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
interface Converter<T> {
  /** The Avro value of `value` for `version` of the subject's schema. */
  toAvro(value: T, version: number): AvroObject;
  fromAvro(value: AvroObject): T;
}

/** The first `mosy.submission` version that can carry a record mapped by ingest. */
const MAPPED_SINCE = 3;

const kindOf = (value: unknown): RecordKind => {
  if (typeof value === 'string' && isCode(RECORD_KINDS, value)) return value as RecordKind;
  throw new MosyError('undecodable-message', `"${String(value)}" is not a record kind`);
};

const providerTypeOf = (value: unknown): ProviderType => {
  if (typeof value === 'string' && isCode(PROVIDER_TYPES, value)) return value as ProviderType;
  throw new MosyError('undecodable-message', `"${String(value)}" is not a provider type`);
};

/** The largest magnitude whose zigzag encoding avsc computes exactly. */
const LONG_EXACT = 2 ** 52;

function rawToAvro(value: RawValue): unknown {
  if (value === null) return null;
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'boolean') return { boolean: value };
  // -0 is not an integer to Avro; as a double it round-trips exactly. A long is written zigzag-encoded (2|n| or
  // 2|n| − 1), which avsc computes in doubles: beyond 2^52 that is no longer exact (−(2^52 + 1) came back as
  // 2^52), so only integers up to 2^52 go as longs and larger ones as doubles, which hold them exactly.
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) <= LONG_EXACT && !Object.is(value, -0)
      ? { long: value }
      : { double: value };
  }
  return { array: value };
}

function rawFromAvro(value: unknown): RawValue {
  if (value === null) return null;
  const branch = value as {
    string?: string;
    long?: number;
    double?: number;
    boolean?: boolean;
    array?: string[];
  };
  // Exactly one branch is set; `??` is safe because no branch value is null or undefined.
  return branch.string ?? branch.long ?? branch.double ?? branch.boolean ?? branch.array ?? null;
}

/** Canonical values as the `CanonicalFields` record: one optional field per canonical field. */
function canonicalToAvro(values: CanonicalValues): AvroObject {
  for (const name of Object.keys(values)) {
    // Dropping an unknown field silently would lose data; it is a bug in the producer.
    if (!isCanonicalField(name)) throw new MosyError('internal', `"${name}" is not a canonical field`);
  }
  const fields: AvroObject = {};
  for (const name of CANONICAL_FIELDS) fields[name] = values[name] ?? null;
  return fields;
}

function canonicalFromAvro(value: unknown): CanonicalValues {
  const avroFields = value as AvroObject;
  const fields: { -readonly [F in keyof CanonicalValues]: CanonicalValues[F] } = {};
  for (const name of CANONICAL_FIELDS) {
    const field = avroFields[name] as string | string[] | null;
    if (field !== null) fields[name] = field;
  }
  return fields;
}

const submission: Converter<SubmissionMessage> = {
  toAvro(m, version) {
    const r = m.record;
    const fields: AvroObject = {};
    let mapped: MappedFields | undefined;
    if (isMappedRecord(r)) {
      // An older schema has nowhere to put the mapping's output: writing it would lose the record's fields.
      if (version < MAPPED_SINCE) {
        throw new MosyError('internal', `mosy.submission v${version} cannot carry a mapped record`);
      }
      mapped = r.mapped;
    } else {
      for (const [name, value] of Object.entries(r.fields)) fields[name] = rawToAvro(value);
    }
    return {
      submissionId: m.submissionId,
      providerId: m.providerId,
      providerType: m.providerType,
      mappingVersion: m.mappingVersion,
      receivedAt: m.receivedAt,
      record: {
        recordId: r.recordId,
        version: r.version,
        action: r.action,
        kind: r.kind,
        referenceDate: r.referenceDate,
        fields,
        identity: r.identity ?? null,
        ...(version < MAPPED_SINCE
          ? {}
          : {
              mapped:
                mapped === undefined
                  ? null
                  : { fields: canonicalToAvro(mapped.fields), quality: mapped.quality },
            }),
      },
    };
  },
  fromAvro(a) {
    const r = a.record as AvroObject;
    const identity = r.identity as Record<string, string> | null;
    const envelope = {
      recordId: r.recordId as string,
      version: r.version as number,
      action: r.action as SubmissionMessage['record']['action'],
      kind: kindOf(r.kind),
      referenceDate: r.referenceDate as string,
      ...(identity === null ? {} : { identity: { ...identity } }),
    };
    // Absent (not null) when the reader's own version predates it.
    const mapped = r.mapped as AvroObject | null | undefined;
    const rawFields = r.fields as AvroObject;
    let record: SubmissionMessage['record'];
    if (mapped === null || mapped === undefined) {
      const fields: Record<string, RawValue> = {};
      for (const [name, value] of Object.entries(rawFields)) fields[name] = rawFromAvro(value);
      record = { ...envelope, fields };
    } else {
      if (Object.keys(rawFields).length > 0) {
        throw new MosyError('undecodable-message', 'a mapped submission must not carry provider fields');
      }
      const mappedFields = canonicalFromAvro(mapped.fields);
      record = { ...envelope, mapped: { fields: mappedFields, quality: [...(mapped.quality as string[])] } };
    }
    return {
      submissionId: a.submissionId as string,
      providerId: a.providerId as string,
      providerType: providerTypeOf(a.providerType),
      mappingVersion: a.mappingVersion as number,
      receivedAt: a.receivedAt as number,
      record,
    };
  },
};

const normalizedRecord: Converter<NormalizedRecord> = {
  toAvro: (r) => ({ ...r, fields: canonicalToAvro(r.fields) }),
  fromAvro(a) {
    const fields = canonicalFromAvro(a.fields);
    return {
      providerId: a.providerId as string,
      providerType: providerTypeOf(a.providerType),
      recordId: a.recordId as string,
      version: a.version as number,
      action: a.action as NormalizedRecord['action'],
      kind: kindOf(a.kind),
      referenceDate: a.referenceDate as string,
      precision: a.precision as NormalizedRecord['precision'],
      periodStart: a.periodStart as string,
      periodEnd: a.periodEnd as string,
      personKey: a.personKey as string,
      recordKey: a.recordKey as number,
      fields,
      quality: [...(a.quality as string[])],
      mappingVersion: a.mappingVersion as number,
      taxonomyVersion: a.taxonomyVersion as string,
      receivedAt: a.receivedAt as number,
    };
  },
};

const deadLetter: Converter<DeadLetter> = {
  toAvro: (d) => ({ ...d }),
  fromAvro: (a) => ({
    stage: a.stage as DeadLetter['stage'],
    providerId: a.providerId as string,
    recordId: a.recordId as string,
    version: a.version as number,
    code: a.code as string,
    reason: a.reason as string,
    receivedAt: a.receivedAt as number,
    failedAt: a.failedAt as number,
  }),
};

const linkage: Converter<LinkageMessage> = {
  toAvro: (m) => ({
    providerId: m.providerId,
    recordId: m.recordId,
    version: m.version,
    encoding: m.encoding === undefined ? null : Buffer.from(encodingToBytes(m.encoding)),
  }),
  fromAvro: (a) => ({
    providerId: a.providerId as string,
    recordId: a.recordId as string,
    version: a.version as number,
    ...(a.encoding === null || a.encoding === undefined
      ? {}
      : { encoding: encodingFromBytes(a.encoding as Buffer) }),
  }),
};

const CONVERTERS: { readonly [T in Topic]: Converter<TopicPayloads[T]> } = {
  submissions: submission,
  records: normalizedRecord,
  deadletter: deadLetter,
  linkage,
};

/**
 * The serde of a logical topic, writing `options.version` (default: the latest) of its subject. Cheap to call;
 * resolvers for older writer versions are built on first use and kept.
 */
export function topicSerde<T extends Topic>(topic: T, options: SerdeOptions = {}): Serde<TopicPayloads[T]> {
  const subject = TOPIC_SUBJECTS[topic];
  const { version, type } =
    options.version === undefined ? latestSchema(subject) : loadSchema(subject, options.version);
  const converter = CONVERTERS[topic] as Converter<TopicPayloads[T]>;
  const resolvers = new Map<number, avro.Resolver>();
  const resolverFor = (writerVersion: number): avro.Resolver | undefined => {
    if (writerVersion === version) return undefined;
    let resolver = resolvers.get(writerVersion);
    if (!resolver) {
      if (!schemaVersions(subject).includes(writerVersion)) {
        throw new MosyError('undecodable-message', `${subject} has no schema version ${writerVersion}`);
      }
      resolver = type.createResolver(loadSchema(subject, writerVersion).type);
      resolvers.set(writerVersion, resolver);
    }
    return resolver;
  };
  return {
    subject,
    version,
    encode(value) {
      try {
        return type.toBuffer(converter.toAvro(value, version));
      } catch (error) {
        throw new MosyError(
          'internal',
          `cannot encode a ${topic} message as ${subject} v${version}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      }
    },
    encodeInto(value, buffer, offset) {
      try {
        return type.encode(converter.toAvro(value, version), buffer, offset);
      } catch (error) {
        throw new MosyError(
          'internal',
          `cannot encode a ${topic} message as ${subject} v${version}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      }
    },
    decode(buffer, writerVersion = version) {
      try {
        return converter.fromAvro(type.fromBuffer(buffer, resolverFor(writerVersion)) as AvroObject);
      } catch (error) {
        if (error instanceof MosyError && error.code === 'undecodable-message') throw error;
        throw new MosyError(
          'undecodable-message',
          `cannot decode ${subject} v${writerVersion}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      }
    },
    toAvro: (value) => converter.toAvro(value, version),
    fromAvro: (value) => converter.fromAvro(value as AvroObject),
  };
}
