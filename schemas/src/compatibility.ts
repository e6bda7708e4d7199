/**
 * Schema evolution rules. MoSy subjects evolve BACKWARD compatibly: a reader with version N decodes data written
 * with version N-1, so consumers can be upgraded before producers and a log or topic written by the old version
 * stays readable. avsc's resolver construction applies the Avro resolution rules and fails on any violation (a new
 * field without a default, a changed type, a removed enum symbol), which is what the check relies on.
 */
import avro from 'avsc';

/** A schema as JSON (an `.avsc` file's content) or a compiled avsc type. */
export type SchemaInput = avro.Type | Readonly<Record<string, unknown>>;

export interface CompatibilityResult {
  readonly compatible: boolean;
  /** Why not, in avsc's words, when not compatible. */
  readonly reason?: string;
}

const typeOf = (schema: SchemaInput): avro.Type =>
  avro.Type.isType(schema) ? (schema as avro.Type) : avro.Type.forSchema(schema as avro.Schema);

/** Whether data written with `writerSchema` can be read with `readerSchema` (Avro schema resolution). */
export function checkBackwardCompatible(
  readerSchema: SchemaInput,
  writerSchema: SchemaInput,
): CompatibilityResult {
  try {
    typeOf(readerSchema).createResolver(typeOf(writerSchema));
    return { compatible: true };
  } catch (error) {
    return { compatible: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
