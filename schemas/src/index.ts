/** @mosy/schemas: the Avro schemas of MoSy's topics, their versions and a typed serde per topic. */
export { SUBJECTS, TOPIC_SUBJECTS, isSubject, latestSchema, loadSchema, schemaVersions } from './subjects.js';
export type { SchemaVersion, Subject } from './subjects.js';
export { topicSerde } from './serde.js';
export type { Serde, SerdeOptions } from './serde.js';
export { checkBackwardCompatible } from './compatibility.js';
export type { CompatibilityResult, SchemaInput } from './compatibility.js';
