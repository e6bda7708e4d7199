/**
 * What every report route shares: the dependencies a report reads from, finding the indicator, parsing the common
 * query parameters (filters, period, providers, geography) into a `StoreQuery` with MoSy's query parser while
 * letting each report read its own parameters, and deciding the protection of the answer (with its audit entry).
 * It knows no output format: a report that offers one beyond JSON and CSV passes what that format asks of the
 * request (`FormatRequest`), so parsing depends on no format and the formats may depend on it.
 */
import type { Request } from 'express';
import {
  INDICATORS,
  MosyError,
  namesProviders,
  parseIndicatorQuery,
  type AuditLog,
  type IndicatorDefinition,
  type IndicatorStore,
  type IntakeLedger,
  type Registry,
  type StoreQuery,
} from '@mosy/core';
import { resolveProtection, type Protection } from '../audit.js';
import type { DisclosureSettings } from '../settings.js';
import type { Recode } from './table.js';

export interface ReportContext {
  readonly store: IndicatorStore;
  readonly registry: Registry;
  readonly audit: AuditLog;
  readonly ledger?: IntakeLedger;
  readonly disclosure: DisclosureSettings;
  /** The deployment's country (ISO alpha-2), which SDMX-CSV groups citizenship relative to; none: ISO codes. */
  readonly reportingCountry?: string;
  readonly now: () => number;
}

/** Parameters every report reads itself, beside the query parser's. */
export const COMMON_PARAMS = ['protection', 'format'] as const;

/** The indicator named in the URL. @throws MosyError `not-found` */
export function indicatorOf(id: unknown): IndicatorDefinition {
  const indicator = INDICATORS.find((i) => i.id === id);
  if (indicator === undefined)
    throw new MosyError('not-found', `No indicator "${String(id)}"; see /v1/indicators.`);
  return indicator;
}

/** A parsed report request: the indicator, its base store query and the protection to apply. */
export interface ParsedReport {
  readonly indicator: IndicatorDefinition;
  readonly query: StoreQuery;
  readonly protection: Protection;
  /** The codes the report's table is counted in. */
  readonly recode: Recode;
}

/** What an output format beyond JSON and CSV asks of a report request, before anything is audited. */
export interface FormatRequest {
  /** Refuses a query the format cannot express. @throws MosyError `invalid-query` */
  readonly check: (query: StoreQuery) => void;
  /** The codes the table is counted in for this format, given the deployment's reporting country. */
  readonly recode: (reportingCountry: string | undefined) => Recode;
}

/** How a report reads its request. */
export interface ParseOptions {
  /** The report's own parameters, skipped by the query parser. */
  readonly own?: readonly string[];
  /** Parameters replaced before parsing (e.g. the report's own `by`). */
  readonly overrides?: Readonly<Record<string, string | undefined>>;
  /** Checks the parsed query; throws `invalid-query`. */
  readonly validate?: (query: StoreQuery) => void;
  /** The formats the report offers beside JSON and CSV (e.g. SDMX-CSV for tables with a period), by name. */
  readonly formats?: Readonly<Record<string, FormatRequest>>;
}

/**
 * Parses a report request and decides the codes its table is counted in. The protection is decided
 * last, so a request refused for any reason (parameters, format, a frame the format cannot express, such as an
 * SDMX-CSV frame without an SDMX period) is refused before anything is audited.
 */
export async function parseReport(
  ctx: ReportContext,
  req: Request,
  options: ParseOptions = {},
): Promise<ParsedReport> {
  const indicator = indicatorOf(req.params.id);
  const formats = options.formats ?? {};
  // Which formats a report offers is its route schema's to check.
  const format = scalarParam(req, 'format') ?? 'json';
  const params = { ...(req.query as Record<string, string | string[] | undefined>), ...options.overrides };
  const parsing = { ignore: [...COMMON_PARAMS, ...(options.own ?? [])] };
  // The registry is a statement of its own (on ClickHouse): read only for a query that names providers.
  const providers = namesProviders(params, parsing) ? await ctx.registry.listProviders() : [];
  const query = parseIndicatorQuery(indicator, params, providers, parsing);
  options.validate?.(query);
  const request = formats[format];
  request?.check(query);
  // A format may count in other codes (SDMX-CSV in Eurostat's groups), regrouped by the store, so the regrouped
  // counts are distinct persons and protected as published; JSON and CSV keep MoSy's codes.
  const recode = request === undefined ? {} : request.recode(ctx.reportingCountry);
  const protection = await resolveProtection(req, ctx.audit, ctx.now);
  return { indicator, query, protection, recode };
}

/** The value of a single-valued parameter, or undefined. @throws MosyError `invalid-query` when repeated. */
export function scalarParam(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw invalidParam(name, 'give it once, as a plain value');
  return raw.trim();
}

/** A comma-separated list parameter (empty when absent). */
export function listParam(req: Request, name: string): string[] {
  const raw = req.query[name];
  if (raw === undefined) return [];
  const values = Array.isArray(raw) ? raw : [raw];
  if (!values.every((v) => typeof v === 'string')) throw invalidParam(name, 'must be a comma-separated list');
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** An `invalid-query` error for one parameter. */
export function invalidParam(name: string, message: string): MosyError {
  return new MosyError('invalid-query', `${name}: ${message}`, {
    issues: [{ field: name, code: 'invalid-query', message: `${name}: ${message}` }],
  });
}
