/** @mosy/http: HTTP plumbing shared by the services. */
export { STATUS_BY_CODE, finishApp, problemHandler, sendProblem, toProblem } from './problem.js';
export type { ProblemDetails } from './problem.js';
export { createAuthenticator, generateApiKey, hashKey, principalOf, requireRole } from './auth.js';
export type { Authenticator, AuthOptions, Principal } from './auth.js';
export { createLogger, requestLogger } from './logger.js';
export type { Logger } from './logger.js';
export { jsonRoute } from './async-route.js';
export { configOrExit } from './startup.js';
