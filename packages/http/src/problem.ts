/**
 * RFC 9457 problem details for every request-level error. Each MosyError code has one HTTP status in a
 * `Record<MosyErrorCode, number>`, so a new code without a status fails to compile. Errors raised by Express's own
 * body parsers (malformed JSON, a body over the limit) are translated into the same shape, so a client always gets
 * `application/problem+json` with a stable `code`.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { MosyError, toMosyError, type MosyErrorCode } from '@mosy/core';
import type { Logger } from 'pino';

export const STATUS_BY_CODE: Readonly<Record<MosyErrorCode, number>> = {
  'invalid-request': 400,
  'invalid-field': 400,
  'unknown-field': 400,
  'invalid-query': 400,
  'version-regression': 409,
  'provider-mismatch': 403,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'request-timeout': 408,
  'rate-limited': 429,
  'invalid-mapping': 400,
  'unmapped-value': 400,
  'invalid-workbook': 400,
  'undecodable-message': 400,
  unavailable: 503,
  internal: 500,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: MosyErrorCode;
  readonly issues?: readonly { field: string; code: string; message: string }[];
}

export function toProblem(error: MosyError): ProblemDetails {
  const status = STATUS_BY_CODE[error.code];
  return {
    type: `https://mosy.eu/problems/${error.code}`,
    title: TITLES[status] ?? 'Error',
    status,
    // Internal errors may carry details of the implementation; the client gets a generic sentence.
    detail: error.code === 'internal' ? 'An internal error occurred; it has been logged.' : error.message,
    code: error.code,
    ...(error.issues.length > 0 ? { issues: error.issues } : {}),
  };
}

/**
 * Seconds a client should wait before retrying a request that met an unavailable dependency (bus, store, registry,
 * full disk): long enough for a broker or database restart to make progress, short enough not to stall a provider.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function sendProblem(res: Response, error: MosyError): void {
  const problem = toProblem(error);
  if (error.code === 'unauthenticated') res.setHeader('WWW-Authenticate', 'Bearer');
  // Every 503 says when to come back; a 429 has already set its own wait (rate-limit.ts).
  if (error.code === 'unavailable') res.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
  readonly limit?: number;
}

/** Translates anything thrown in a route into problem+json; logs internal errors without request content. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const parserError = error as BodyParserError;
    let mosyError: MosyError;
    if (parserError.type === 'entity.parse.failed') {
      mosyError = new MosyError('invalid-request', 'The request body is not valid JSON.');
    } else if (parserError.type === 'entity.too.large') {
      mosyError = new MosyError(
        'payload-too-large',
        `The request body is larger than the limit of ${String(parserError.limit)} bytes; split it into smaller submissions.`,
      );
    } else if (parserError.type === 'request.aborted') {
      // The client went away (or the request timeout closed its socket): nobody reads this answer.
      mosyError = new MosyError('invalid-request', 'The request was aborted before its body was received.');
    } else if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
      mosyError = new MosyError('unsupported-media-type', 'Only UTF-8 request bodies are accepted.');
    } else {
      mosyError = toMosyError(error);
    }
    if (mosyError.code === 'internal' || mosyError.code === 'unavailable') {
      logger.error(
        { err: mosyError.cause ?? mosyError, method: req.method, path: req.path },
        'request failed',
      );
    }
    sendProblem(res, mosyError);
  };
}

/** Ends an app's middleware chain: unknown routes answer `not-found`, every error answers problem+json. */
export function finishApp(app: { use(...handlers: unknown[]): unknown }, logger: Logger): void {
  app.use((req: { method: string; path: string }, _res: unknown, next: (error: unknown) => void) => {
    next(new MosyError('not-found', `No route ${req.method} ${req.path}.`));
  });
  app.use(problemHandler(logger));
}
