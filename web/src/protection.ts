/**
 * Exact values for coordinators: a page's state may say `exact=1`, and then a coordinator's page asks the API for
 * `protection=none` (each such read is audited by the server). Any other role ignores it, so a shared link with
 * `exact=1` opens the protected view for an analyst instead of a refusal.
 */
import type { Role } from './api.js';

/** Whether the page should ask for exact values. */
export const wantsExact = (role: Role, params: URLSearchParams): boolean =>
  role === 'coordinator' && params.get('exact') === '1';

/** The `protection` query parameter for the page's requests. */
export const protectionQuery = (exact: boolean): { protection?: 'none' } =>
  exact ? { protection: 'none' } : {};

/** Fills `{name}` placeholders of a message. */
export const fill = (template: string, values: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
