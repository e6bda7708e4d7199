/**
 * Request validation from a route's schemas, and the express handlers that run it. A request is checked against
 * the route's path, query and body schemas before its handler runs, and a failure answers problem+json whose
 * `issues` carry the schema's field paths: a body field answers `invalid-request` with issues coded
 * `invalid-field` (`unknown-field` for a property the schema does not know, and for an unknown top-level property the
 * whole request is `unknown-field`), a query parameter answers `invalid-query` with issues coded `invalid-query`
 * whose message starts with the parameter's name. Handlers get the parsed values with their inferred types.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { MosyError, type FieldIssue } from '@mosy/core';
import {
  expressPath,
  successStatus,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ResultOf,
  type RouteDefinition,
} from './route.js';

/** What a handler gets: the validated parts of the request, and the request and response themselves. */
export interface RouteInput<R extends RouteDefinition> {
  readonly params: ParamsOf<R>;
  readonly query: QueryOf<R>;
  readonly body: BodyOf<R>;
  readonly req: Request;
  readonly res: Response;
}

const fieldOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

function queryError(issues: readonly z.core.$ZodIssue[]): MosyError {
  const out: FieldIssue[] = issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: key, message: 'unknown parameter' }))
        : [{ field: fieldOf(issue.path.slice(0, 1)), message: issue.message }],
    )
    .map(({ field, message }) => ({ field, code: 'invalid-query', message: `${field}: ${message}` }));
  return new MosyError('invalid-query', out.map((i) => i.message).join('; '), { issues: out });
}

function bodyError(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): MosyError {
  if (issues.some((i) => i.path.length === 0 && i.code === 'invalid_type'))
    return new MosyError('invalid-request', 'The body must be a JSON object.');
  const unknown = issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : [],
  );
  if (unknown.length > 0) {
    const shape = (schema as Partial<z.ZodObject>).shape;
    const allowed = shape === undefined ? '' : ` Allowed: ${Object.keys(shape).join(', ')}.`;
    return new MosyError('unknown-field', `Unknown field(s): ${unknown.join(', ')}.${allowed}`, {
      issues: unknown.map((field) => ({ field, code: 'unknown-field', message: 'unknown field' })),
    });
  }
  const out: FieldIssue[] = issues.flatMap((issue): FieldIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldOf([...issue.path, key]),
          code: 'unknown-field',
          message: 'unknown field',
        }))
      : [{ field: fieldOf(issue.path), code: 'invalid-field', message: issue.message }],
  );
  return new MosyError('invalid-request', out.map((i) => i.message).join(' '), { issues: out });
}

/** The body schema for the request's content type; with one schema, whatever the body parsers left. */
function bodySchema(route: RouteDefinition, req: Request): z.ZodType | undefined {
  const entries = Object.entries(route.body ?? {});
  if (entries.length <= 1) return entries[0]?.[1];
  // `application/json` covers the structured-syntax JSON types (`application/*+json`) that express.json parses.
  const accepts = (type: string): string[] =>
    type === 'application/json' ? [type, 'application/*+json'] : [type];
  const match = entries.find(([type]) => typeof req.is(accepts(type)) === 'string');
  if (match === undefined)
    throw new MosyError('unsupported-media-type', `Send ${entries.map(([type]) => type).join(' or ')}.`);
  return match[1];
}

/**
 * Validates a request against its route's schemas.
 * @throws MosyError `invalid-request`, `unknown-field`, `invalid-query` or `unsupported-media-type`
 */
export function validateRequest<R extends RouteDefinition>(
  route: R,
  req: Request,
): Pick<RouteInput<R>, 'params' | 'query' | 'body'> {
  const params = route.params?.safeParse(req.params) ?? { success: true as const, data: {} };
  if (!params.success) throw new MosyError('not-found', `No route ${req.method} ${req.path}.`);
  const query = route.query?.safeParse(req.query) ?? { success: true as const, data: {} };
  if (!query.success) throw queryError(query.error.issues);
  const schema = bodySchema(route, req);
  const body = schema?.safeParse(req.body) ?? { success: true as const, data: undefined };
  if (!body.success) throw bodyError(body.error.issues, schema as z.ZodType);
  return {
    params: params.data as ParamsOf<R>,
    query: query.data as QueryOf<R>,
    body: body.data as BodyOf<R>,
  };
}

/**
 * A handler that validates, then answers the JSON its function returns with the route's success status. Curried
 * (`jsonHandler(ROUTE)(async (input) => …)`) so the route fixes the types before the function is checked, and the
 * function's literals are typed by the response schema.
 */
export function jsonHandler<R extends RouteDefinition>(
  route: R,
): (handle: (input: RouteInput<R>) => Promise<ResultOf<R>>) => RequestHandler {
  const status = successStatus(route);
  return (handle) => async (req, res) => {
    const body = await handle({ ...validateRequest(route, req), req, res });
    if (res.headersSent) return;
    if (body === undefined) res.status(status).end();
    else res.status(status).json(body);
  };
}

/** A handler that validates, then lets its function write the response (CSV, event streams, attachments). */
export function rawHandler<R extends RouteDefinition>(
  route: R,
): (handle: (input: RouteInput<R>) => Promise<void>) => RequestHandler {
  return (handle) => async (req, res) => {
    await handle({ ...validateRequest(route, req), req, res });
  };
}

/** Mounts a route on a router at its express path: `handlers` are the middleware (auth, body parsers) and the handler. */
export function mountRoute(router: Router, route: RouteDefinition, ...handlers: RequestHandler[]): void {
  router[route.method](expressPath(route.path), ...handlers);
}

/** An `invalid-request` error for one body field, for checks that need state (a registered provider). */
export function invalidField(field: string, message: string): MosyError {
  return new MosyError('invalid-request', message, { issues: [{ field, code: 'invalid-field', message }] });
}
