/**
 * One schema per route. A `RouteDefinition` holds everything there is to say about an HTTP operation — method and
 * path, who may call it, its path, query and body schemas (zod), its responses and the problem statuses it may
 * answer — and is the single source of the request validation (`validate.ts`), the handler's TypeScript types
 * (inferred below) and the route's OpenAPI entry (`openapi.ts`). Services own the definitions of their routes and
 * export them as a list; a runtime's document is generated from the lists of what it mounts.
 */
import type { z } from 'zod';

/** The statuses of `components.responses.Problem<status>`: every request-level error is problem+json. */
export const PROBLEM_STATUSES = [400, 401, 403, 404, 409, 413, 415] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A documented response: a description and, unless empty, a schema per content type. */
export interface ResponseDefinition {
  readonly description: string;
  readonly content?: Readonly<Record<string, z.ZodType>>;
}

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** OpenAPI path template (`/v1/admin/providers/{id}`); express gets `:id`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** True for routes without a key (the document, health, code lists). @defaultValue false */
  readonly public?: boolean;
  readonly params?: z.ZodObject;
  /** Query string as express parses it (a value, or an array when repeated). */
  readonly query?: z.ZodObject;
  /** Request body schema per content type. */
  readonly body?: Readonly<Record<string, z.ZodType>>;
  /** Success responses by status. */
  readonly responses: Readonly<Record<number, ResponseDefinition>>;
  /** Problem statuses the route may answer. */
  readonly problems: readonly ProblemStatus[];
}

/** Returns the definition as given, with its literal types kept for inference. */
export const defineRoute = <const R extends RouteDefinition>(route: R): R => route;

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** Read-only view of an inferred type: handlers may return the domain's readonly values. */
export type Immutable<T> = T extends (infer U)[]
  ? readonly Immutable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Immutable<T[K]> }
    : T;

export type ParamsOf<R extends RouteDefinition> = Out<R['params']>;
export type QueryOf<R extends RouteDefinition> = Out<R['query']>;
export type BodyOf<R extends RouteDefinition> =
  R['body'] extends Readonly<Record<string, z.ZodType>> ? z.output<R['body'][keyof R['body']]> : undefined;

type SuccessOf<R extends RouteDefinition> = R['responses'][keyof R['responses']];
/** What a JSON handler returns: the input type of its success response's `application/json` schema. */
export type ResultOf<R extends RouteDefinition> =
  SuccessOf<R> extends { readonly content: { readonly 'application/json': infer S } }
    ? S extends z.ZodType
      ? Immutable<z.input<S>>
      : never
    : undefined;

/** The express path of an OpenAPI template: `{id}` → `:id`. */
export const expressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/** The status of a route's first success response. */
export const successStatus = (route: RouteDefinition): number =>
  Number(Object.keys(route.responses)[0] ?? 200);
