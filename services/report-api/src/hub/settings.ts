/**
 * The hub settings, read by both composition roots: `MOSY_ROLE` (`node`, the default, or `hub`), and for a node
 * that sends to a hub `MOSY_HUB_URL` with `MOSY_HUB_NODE_KEY` (a secret: kept out of every message), both or
 * neither, with the attempts and first backoff of a send.
 */
import { MosyError, type ReportArchive } from '@mosy/core';
import type { QuarterlyExports } from '../quarterly/exports.js';
import { createHub, type Hub } from './hub.js';
import { createHubSender, type HubSender } from './send.js';

export interface HubSettings {
  readonly role: 'node' | 'hub';
  readonly send?: {
    readonly hubUrl: string;
    readonly nodeKey: string;
    readonly attempts: number;
    readonly backoffMs: number;
  };
}

/** @throws MosyError `invalid-request` naming every invalid setting. */
export function hubSettingsFromEnv(env: NodeJS.ProcessEnv): HubSettings {
  const problems: string[] = [];
  const role = env.MOSY_ROLE || 'node';
  if (role !== 'node' && role !== 'hub') problems.push(`MOSY_ROLE must be node or hub, got "${role}"`);
  const hubUrl = env.MOSY_HUB_URL || undefined;
  const nodeKey = env.MOSY_HUB_NODE_KEY || undefined;
  if ((hubUrl === undefined) !== (nodeKey === undefined))
    problems.push('MOSY_HUB_URL and MOSY_HUB_NODE_KEY go together: set both or neither');
  if (hubUrl !== undefined && !URL.canParse(hubUrl))
    problems.push(`MOSY_HUB_URL must be a URL, got "${hubUrl}"`);
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name] || undefined;
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max)
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${text}"`);
    return value;
  };
  const attempts = whole('MOSY_HUB_SEND_ATTEMPTS', 5, 1, 20);
  const backoffMs = whole('MOSY_HUB_SEND_BACKOFF_MS', 500, 1, 60_000);
  if (problems.length > 0)
    throw new MosyError('invalid-request', `Invalid configuration: ${problems.join('; ')}.`);
  return {
    role: role as HubSettings['role'],
    ...(hubUrl === undefined || nodeKey === undefined
      ? {}
      : { send: { hubUrl, nodeKey, attempts, backoffMs } }),
  };
}

/** The hub and the sender a node's settings ask for, from its archive and quarterly exports. */
export function hubParts(
  settings: HubSettings,
  deps: {
    readonly archive: ReportArchive;
    readonly quarterly?: QuarterlyExports;
    readonly reportingCountry?: string;
    readonly now: () => number;
  },
): { hub?: Hub; hubSender?: HubSender } {
  const { send } = settings;
  return {
    ...(settings.role === 'hub' ? { hub: createHub({ archive: deps.archive, now: deps.now }) } : {}),
    ...(send === undefined || deps.quarterly === undefined || deps.reportingCountry === undefined
      ? {}
      : { hubSender: createHubSender(deps.quarterly, { ...send, country: deps.reportingCountry }) }),
  };
}
