/** @mosy/normalizer: provider vocabularies → canonical records, identity → pseudonym. */
export { createNormalizer } from './app.js';
export type { NormalizerDeps, Service } from './app.js';
