/** Every route the report API serves, as definitions: what a runtime mounting it puts into its OpenAPI document. */
import { SESSION_ROUTES, type RouteDefinition } from '@mosy/http';
import { INDICATOR_PROJECTION, INDICATOR_VALUES, LIST_INDICATORS, LIVE } from './indicators.js';
import { AUDIT, PROVIDER_ACTIVITY, REGIONS, STATUS, TAXONOMY } from './meta.js';
import { SPATIAL_CONTEXT, SPATIAL_CORRIDORS, SPATIAL_HOTSPOTS } from './spatial.js';
import { GEO_FILE, GEO_MANIFEST } from './geo.js';
import { EXPORT_ROUTES } from './exports.js';
import { HUB_ROUTES } from './hub.js';
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
  SPATIAL_HOTSPOTS,
  SPATIAL_CONTEXT,
  SPATIAL_CORRIDORS,
  GEO_MANIFEST,
  GEO_FILE,
  PROVIDER_ACTIVITY,
  ...EXPORT_ROUTES,
  ...HUB_ROUTES,
];
