/**
 * What every synthetic provider is: its public face (id, type, name, mapping, transport), how it writes identity
 * and dates, and the encoder that writes a canonical draft in its own vocabulary. Every name and mapping
 * description says the organisation is invented.
 */
import type { Draft, Encoded } from '../draft.js';
import type { IdentityStyle } from '../identities.js';
import type { Rng } from '../prng.js';
import type { SyntheticProvider } from '../types.js';

/** A provider with what the generator needs to write its records. */
export interface ProviderProfile {
  readonly provider: SyntheticProvider;
  /** How often a record carries identity (0–1). */
  readonly identityRate: number;
  readonly identityStyles: readonly IdentityStyle[];
  /** How often identity includes the document number (0–1). */
  readonly documentRate: number;
  /** Weights of the reference date precisions. */
  readonly precision: { readonly day: number; readonly month: number; readonly year: number };
  encode(draft: Draft, rng: Rng): Encoded;
}

/** The start of every synthetic provider's name. */
export const SYNTHETIC_PREFIX = 'SYNTHETIC DEMO —';

/** The description of a synthetic provider's mapping document, saying that it is invented. */
export const mappingDescription = (system: string): string =>
  `SYNTHETIC DEMO mapping for an invented ${system}. The organisation and all its records are made up for tests and demos; no record describes a real person.`;
