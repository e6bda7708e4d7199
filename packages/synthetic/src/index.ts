/**
 * @mosy/synthetic: the synthetic data generator — six invented providers, each with its own vocabulary and mapping,
 * the records they submit, the ground truth behind them, and the demo dataset of `npm start`. Kept apart from the
 * testkit (which re-exports it) so that the embedded runtime can load the demo without any test library.
 */
export { DEMO_SEED, demoDataset, generateDataset } from './generate.js';
export type {
  GenerateOptions,
  ProviderSubmissions,
  SyntheticDataset,
  SyntheticProvider,
  Transport,
  TruthRecord,
} from './types.js';
export { SYNTHETIC_PREFIX } from './providers/profile.js';
export { createRng } from './prng.js';
export type { Rng } from './prng.js';
export { toSubmissionCsv } from './csv.js';
export { sensitiveValues } from './sensitive.js';
export { completeFields } from './draft.js';
export {
  generateLinkageCorpus,
  type LinkageCorpus,
  type LinkageCorpusOptions,
  type LinkageCorpusRecord,
} from './linkage-corpus.js';
export {
  SYNTHETIC_INDICATOR,
  SYNTHETIC_POPULATION_SOURCE,
  syntheticIndicatorRows,
  syntheticPopulationRows,
} from './population.js';
export type { IndicatorCsvRow, PopulationCsvRow } from './population.js';
