/** Every route ingest serves, as definitions: what a runtime mounting ingest puts into its OpenAPI document. */
import type { RouteDefinition } from '@mosy/http';
import {
  CREATE_KEY,
  CREATE_PROVIDER,
  GET_PROVIDER,
  LIST_KEYS,
  LIST_PROVIDERS,
  MAPPING_COVERAGE,
  PUT_MAPPING,
  REVOKE_KEY,
} from './admin.js';
import { GET_SUBMISSION, OWN_MAPPING, PROVIDER_QUALITY, SUBMIT } from './submissions.js';

export const INGEST_ROUTES: readonly RouteDefinition[] = [
  SUBMIT,
  GET_SUBMISSION,
  PROVIDER_QUALITY,
  OWN_MAPPING,
  CREATE_PROVIDER,
  LIST_PROVIDERS,
  GET_PROVIDER,
  PUT_MAPPING,
  MAPPING_COVERAGE,
  CREATE_KEY,
  LIST_KEYS,
  REVOKE_KEY,
];
