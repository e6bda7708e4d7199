/**
 * The national node's side of the hub: sends a published version of its quarterly report — the observations of its
 * JSON artefact with their flags, nothing else — to `PUT <hub>/v1/hub/reports/<country>/<period>` with the node
 * key. A network failure, 429 or 5xx is retried with exponential backoff (the hub's PUT is idempotent, so a retry
 * after a lost answer changes nothing); any other refusal is final and its problem detail is passed on. The node
 * key is only ever put in the Authorization header, never in a message.
 */
import { MosyError, type ReportCell } from '@mosy/core';
import type { QuarterlyExports } from '../quarterly/exports.js';
import type { HubReceipt } from './hub.js';

export interface HubSenderOptions {
  /** The hub's base URL, e.g. `https://hub.example.eu`. */
  readonly hubUrl: string;
  readonly nodeKey: string;
  /** The reporting country: the path's country. */
  readonly country: string;
  /** Attempts in all (≥ 1). */
  readonly attempts: number;
  /** The first backoff, doubled after each failed attempt. */
  readonly backoffMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof fetch;
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

export function createHubSender(exports: QuarterlyExports, options: HubSenderOptions) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const doFetch = options.fetch ?? fetch;
  const base = options.hubUrl.replace(/\/+$/, '');

  return async function send(period: string, revision: number): Promise<HubReceipt> {
    const version = (await exports.list(period)).find((v) => v.revision === revision);
    if (version === undefined)
      throw new MosyError('not-found', `No version ${revision} of the quarterly report ${period}.`);
    if (version.published === undefined)
      throw new MosyError(
        'conflict',
        `Version ${revision} of ${period} is a draft: publish it before sending it.`,
      );
    const json = await exports.read(period, revision, 'json');
    const { observations } = JSON.parse(json.content) as { observations: ReportCell[] };
    const url = `${base}/v1/hub/reports/${options.country}/${period}`;
    const body = JSON.stringify({ revision, observations });
    let failure = '';
    for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
      if (attempt > 1) await sleep(options.backoffMs * 2 ** (attempt - 2));
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'PUT',
          headers: { authorization: `Bearer ${options.nodeKey}`, 'content-type': 'application/json' },
          body,
        });
      } catch (error) {
        failure = `the hub could not be reached (${error instanceof Error ? error.message : String(error)})`;
        continue;
      }
      if (response.ok) return (await response.json()) as HubReceipt;
      const problem = (await response.json().catch(() => ({}))) as { detail?: string };
      const detail = problem.detail?.replace(/\.$/, '');
      failure = `the hub answered ${response.status}${detail === undefined ? '' : `: ${detail}`}`;
      if (response.status === 409) throw new MosyError('conflict', `Not sent: ${failure}.`);
      if (!retryable(response.status)) throw new MosyError('invalid-request', `Not sent: ${failure}.`);
    }
    throw new MosyError('unavailable', `Not sent after ${options.attempts} attempts: ${failure}.`);
  };
}

export type HubSender = ReturnType<typeof createHubSender>;
