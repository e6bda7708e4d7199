/** Every route the report API serves, as definitions: what a runtime mounting it puts into its OpenAPI document. */
import { SESSION_ROUTES, type RouteDefinition } from '@mosy/http';
import { INDICATOR_PROJECTION, INDICATOR_VALUES, LIST_INDICATORS, LIVE } from './indicators.js';
import { AUDIT, REGIONS, STATUS, TAXONOMY } from './meta.js';
import { EXPORT_ROUTES } from './exports.js';
import { GEO_REPORT, QUALITY_REPORT, SIMPLE_REPORT, TIME_FRAME_REPORT, TOTAL_REPORT } from './reports.js';

export const REPORT_API_ROUTES: readonly RouteDefinition[] = [
  LIST_INDICATORS,
  INDICATOR_VALUES,
  INDICATOR_PROJECTION,
  LIVE,
  SIMPLE_REPORT,
  TOTAL_REPORT,
  TIME_FRAME_REPORT,
  GEO_REPORT,
  QUALITY_REPORT,
  AUDIT,
  STATUS,
  TAXONOMY,
  REGIONS,
  ...SESSION_ROUTES,
  ...EXPORT_ROUTES,
];
