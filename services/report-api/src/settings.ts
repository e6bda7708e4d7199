/**
 * The report API's deployment settings — the disclosure threshold, the method for ad-hoc outputs, and the reporting
 * country — with their defaults, and read from the environment the same way by the embedded runtime and the
 * distributed service.
 */
import { DEFAULT_THRESHOLD, MosyError, isCountry } from '@mosy/core';

/** Disclosure settings of a deployment. */
export interface DisclosureSettings {
  /**
   * Counts with 0 < n < threshold are withheld.
   * @defaultValue 5
   */
  readonly threshold: number;
  /**
   * How single ad-hoc queries (`/v1/indicators/:id/values`) are protected: `perturb` (the cell key method, which
   * resists differencing of overlapping queries; the store must return key sums) or `suppress`.
   */
  readonly adHoc: 'perturb' | 'suppress';
}

/** The default: threshold 5, the cell key method for every ad-hoc output. */
export const DEFAULT_DISCLOSURE: DisclosureSettings = Object.freeze({
  threshold: DEFAULT_THRESHOLD,
  adHoc: 'perturb',
});

export interface ReportSettings {
  readonly disclosure: DisclosureSettings;
  /** ISO 3166-1 alpha-2; SDMX-CSV groups citizenship relative to it. */
  readonly reportingCountry?: string;
}

const METHODS: readonly DisclosureSettings['adHoc'][] = ['perturb', 'suppress'];

/**
 * Reads `MOSY_DISCLOSURE_THRESHOLD` (integer ≥ 1, default 5), `MOSY_DISCLOSURE_ADHOC` (`perturb`, the default, or
 * `suppress`) and `MOSY_REPORTING_COUNTRY` (optional). An empty value counts as unset.
 * @throws MosyError `invalid-request` naming every variable that is wrong.
 */
export function reportSettingsFromEnv(env: NodeJS.ProcessEnv): ReportSettings {
  const problems: string[] = [];
  const thresholdText = env.MOSY_DISCLOSURE_THRESHOLD || undefined;
  const threshold = thresholdText === undefined ? DEFAULT_DISCLOSURE.threshold : Number(thresholdText);
  if (!Number.isSafeInteger(threshold) || threshold < 1)
    problems.push(`MOSY_DISCLOSURE_THRESHOLD must be an integer ≥ 1, got "${thresholdText}"`);
  const adHoc = (env.MOSY_DISCLOSURE_ADHOC || DEFAULT_DISCLOSURE.adHoc) as DisclosureSettings['adHoc'];
  if (!METHODS.includes(adHoc))
    problems.push(`MOSY_DISCLOSURE_ADHOC must be ${METHODS.join(' or ')}, got "${adHoc}"`);
  const reportingCountry = env.MOSY_REPORTING_COUNTRY || undefined;
  if (reportingCountry !== undefined && !isCountry(reportingCountry))
    problems.push(
      `MOSY_REPORTING_COUNTRY must be an ISO 3166-1 alpha-2 country code (GR for Greece), got "${reportingCountry}"`,
    );
  if (problems.length > 0)
    throw new MosyError('invalid-request', `Invalid configuration: ${problems.join('; ')}.`);
  return {
    disclosure: { threshold, adHoc },
    ...(reportingCountry === undefined ? {} : { reportingCountry }),
  };
}

/** Where the spatial analysis finds the deployment's own tables. */
export interface SpatialSettings {
  /** `MOSY_POPULATION_CSV`: population by region and year (`geo,year,population`, or Eurostat's SDMX-CSV). */
  readonly populationCsv?: string;
  /** `MOSY_REGIONAL_INDICATORS_CSV`: regional indicators (`indicator,geo,year,value`). */
  readonly regionalIndicatorsCsv?: string;
}

/**
 * Reads `MOSY_POPULATION_CSV` and `MOSY_REGIONAL_INDICATORS_CSV` (optional paths; empty counts as unset), checking
 * that each names an existing file.
 * @throws MosyError `invalid-request` naming every variable that is wrong.
 */
export function spatialSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  exists: (path: string) => boolean,
): SpatialSettings {
  const problems: string[] = [];
  const settings: { populationCsv?: string; regionalIndicatorsCsv?: string } = {};
  for (const [name, key] of [
    ['MOSY_POPULATION_CSV', 'populationCsv'],
    ['MOSY_REGIONAL_INDICATORS_CSV', 'regionalIndicatorsCsv'],
  ] as const) {
    const path = env[name] || undefined;
    if (path === undefined) continue;
    if (!exists(path)) problems.push(`${name} names no file: "${path}"`);
    else settings[key] = path;
  }
  if (problems.length > 0)
    throw new MosyError('invalid-request', `Invalid configuration: ${problems.join('; ')}.`);
  return settings;
}
