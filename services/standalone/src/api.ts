/**
 * The HTTP API of the embedded runtime: the definitions of every route it mounts (health, the document itself,
 * ingest and the report API), from which its OpenAPI document is generated. The typed client is generated from
 * this document (`packages/client`).
 */
import {
  DOCS_ROUTES,
  HEALTH_ROUTE,
  createOpenApiDocument,
  type OpenApiDocument,
  type RouteDefinition,
} from '@mosy/http';
import { INGEST_ROUTES } from '@mosy/ingest';
import { REPORT_API_ROUTES } from '@mosy/report-api';

export const EMBEDDED_ROUTES: readonly RouteDefinition[] = [
  HEALTH_ROUTE,
  ...DOCS_ROUTES,
  ...INGEST_ROUTES,
  ...REPORT_API_ROUTES,
];

/** The OpenAPI document of the embedded runtime. */
export const embeddedApiDocument = (): OpenApiDocument => createOpenApiDocument(EMBEDDED_ROUTES);
