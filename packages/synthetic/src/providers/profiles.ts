/**
 * The six synthetic providers, by the name the generator plans with: each an invented organisation with its own
 * record system — field names, value vocabulary, separators, date habits — and the MoSy mapping document that maps
 * it to the canonical taxonomy (one file each beside this one). The organisations, names and data are made up.
 */
import { hotlineProfile } from './hotline.js';
import { labourProfile } from './labour-inspection.js';
import { ngoProfile } from './ngo.js';
import { policeProfile } from './police.js';
import type { ProviderProfile } from './profile.js';
import { prosecutionProfile } from './prosecution.js';
import { shelterProfile } from './shelter.js';

export const PROFILES = {
  police: policeProfile,
  ngo: ngoProfile,
  shelter: shelterProfile,
  labour: labourProfile,
  prosecution: prosecutionProfile,
  hotline: hotlineProfile,
} as const satisfies Record<string, ProviderProfile>;

export type ProfileName = keyof typeof PROFILES;
