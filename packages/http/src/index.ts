/** @mosy/http: HTTP plumbing shared by the services. */
export {
  STATUS_BY_CODE,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  finishApp,
  problemHandler,
  sendProblem,
  toProblem,
} from './problem.js';
export type { ProblemDetails } from './problem.js';
export {
  createAuthenticator,
  createKeyVerifier,
  generateApiKey,
  hashKey,
  principalOf,
  requireRole,
  secretsEqual,
} from './auth.js';
export type { Authenticator, AuthOptions, KeyVerifier, Principal } from './auth.js';
export { SESSION_COOKIE, createSessionStore, newSessionId, sessionExpired, sessionIdOf } from './session.js';
export type { Credential, SessionStore, SessionStoreOptions } from './session.js';
export { SESSION_ROUTES, SIGN_IN, SIGN_OUT, WHO_AM_I, createSessionRoutes } from './session-routes.js';
export type { SessionRoutesOptions } from './session-routes.js';
export { createLogger, requestLogger } from './logger.js';
export { MAX_JSON_DEPTH, checkJsonBytes, jsonBody, jsonDepth } from './json-body.js';
export type { JsonBodyOptions } from './json-body.js';
export { DEFAULT_HARDENING, createHardening, hardeningFromEnv } from './hardening.js';
export type { Hardening, HardeningSettings } from './hardening.js';
export { rateLimit, rememberingAuthenticator } from './rate-limit.js';
export { API_CONTENT_SECURITY_POLICY, securityHeaders } from './security-headers.js';
export type { HstsMode } from './security-headers.js';
export type { Logger } from './logger.js';
export { configOrExit } from './startup.js';
export { createHttpServer, listenOn } from './server.js';
export type { ServerSettings } from './server.js';
export { PROBLEM_STATUSES, defineRoute, expressPath, successStatus } from './route.js';
export type {
  BodyOf,
  HttpMethod,
  Immutable,
  ParamsOf,
  ProblemStatus,
  QueryOf,
  ResponseDefinition,
  ResultOf,
  RouteDefinition,
} from './route.js';
export { invalidField, jsonHandler, mountRoute, rawHandler, validateRequest } from './validate.js';
export type { RouteInput } from './validate.js';
export {
  FieldIssueSchema,
  ProblemSchema,
  assertDocumented,
  createOpenApiDocument,
  undocumentedRoutes,
} from './openapi.js';
export type { OpenApiDocument } from './openapi.js';
export { DOCS_ROUTES, HEALTH_ROUTE, createApiDocsRoutes } from './docs.js';
