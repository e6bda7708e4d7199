/**
 * Transnational sharing through a hub, as separate processes: a hub (`MOSY_ROLE=hub`) and two national nodes (PT
 * and ES), each the built CLI on its own data folder and port. The hub's admin registers both nodes; each node gets
 * its own synthetic data, builds and publishes the quarterly report of 2026-Q1 and sends it to the hub with its node
 * key. The hub's EU totals equal the sums of what the nodes published, key by key (exact numbers), a value
 * withheld by a node is withheld at the hub (and says by whom), a re-send changes nothing, a revision after late
 * data replaces the node's earlier figures, an older revision is refused (409), a node key cannot publish for
 * another country (403), a withdrawn report leaves the totals, and no process logs a node key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, type SyntheticDataset } from '@mosy/testkit';
import { keyName } from '@mosy/core';
import { createClient, expectStatus, type Client } from './lib/client.js';
import { startEmbedded, type EmbeddedProcess } from './lib/embedded-process.js';
import { issueKey, registerProviders, submitAll, waitIdle } from './lib/load.js';

const PERIOD = '2026-Q1';
const work = mkdtempSync(join(tmpdir(), 'mosy-hub-'));
const processes: EmbeddedProcess[] = [];

interface Cell {
  key: Record<string, string>;
  value: number | null;
  flag?: string;
}
interface Total extends Cell {
  countries: string[];
  withheldBy: string[];
}
interface Node {
  readonly country: string;
  readonly client: Client;
  readonly coordinator: string;
  readonly nodeKey: string;
  /** Records held back, submitted as late data after publication. */
  readonly late: SyntheticDataset;
  readonly keys: ReadonlyMap<string, string>;
}

let hub: Client;
let analyst: string;
const nodes: Node[] = [];

/**
 * The dataset split: one record in five (every version of it, by record id) held back as late data, so the late
 * records are spread over the year like the others and some fall in the quarter.
 */
function split(dataset: SyntheticDataset): [SyntheticDataset, SyntheticDataset] {
  const late = (recordId: string) =>
    [...recordId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1009, 7) % 5 === 0;
  const part = (wantLate: boolean) => ({
    ...dataset,
    submissions: dataset.submissions.map((s) => ({
      ...s,
      records: s.records.filter((r) => late(String(r.recordId)) === wantLate),
    })),
  });
  return [part(false), part(true)];
}

async function startNode(country: string, seed: number, nodeKey: string, hubUrl: string): Promise<Node> {
  const dir = join(work, country);
  const child = await startEmbedded(join(dir, 'data'), dir, 0, {
    MOSY_REPORTING_COUNTRY: country,
    MOSY_HUB_URL: hubUrl,
    MOSY_HUB_NODE_KEY: nodeKey,
    MOSY_HUB_SEND_BACKOFF_MS: '100',
    LOG_LEVEL: 'debug',
  });
  processes.push(child);
  const client = createClient(child.url);
  const dataset = generateDataset({ seed, persons: 250, years: [2026] });
  const [now, late] = split(dataset);
  const keys = await registerProviders(client, child.adminToken, dataset);
  const coordinator = (await issueKey(client, child.adminToken, 'coordinator')).key;
  await submitAll(client, now, keys);
  await waitIdle(client, coordinator, 60_000);
  return { country, client, coordinator, nodeKey, late, keys };
}

const post = async <T>(node: Node, path: string, status = 200): Promise<T> =>
  expectStatus(await node.client.request<T>('POST', path, { key: node.coordinator }), status, path);

/** Builds (or revises), publishes and returns the published observations of a node's version. */
async function publish(node: Node, revise: boolean): Promise<{ revision: number; observations: Cell[] }> {
  const built = await post<{ version: { revision: number }; created: boolean }>(
    node,
    `/v1/exports/quarterly/${PERIOD}/${revise ? 'revise' : 'draft'}`,
  );
  expect(built.created).toBe(true);
  const { revision } = built.version;
  await post(node, `/v1/exports/quarterly/${PERIOD}/${revision}/publish`);
  const preview = expectStatus(
    await node.client.request<{ observations: Cell[] }>(
      'GET',
      `/v1/exports/quarterly/${PERIOD}/${revision}`,
      {
        key: node.coordinator,
      },
    ),
    200,
    'preview',
  );
  return { revision, observations: preview.observations };
}

const send = (node: Node, revision: number, status = 200) =>
  node.client
    .request<{ outcome?: string; detail?: string }>(
      'POST',
      `/v1/exports/quarterly/${PERIOD}/${revision}/send`,
      { key: node.coordinator },
    )
    .then((reply) => expectStatus(reply, status, `send r${revision} of ${node.country}`));

async function hubTotals(): Promise<{ reports: { country: string; revision: number }[]; totals: Total[] }> {
  return expectStatus(
    await hub.request<{ reports: { country: string; revision: number }[]; totals: Total[] }>(
      'GET',
      `/v1/hub/totals?period=${PERIOD}`,
      { key: analyst },
    ),
    200,
    'hub totals',
  );
}

/** What the hub should answer: per key, the sum of the published values, withheld when any country withheld. */
function expectedTotals(published: Record<string, Cell[]>): Total[] {
  const byKey = new Map<string, Total>();
  for (const country of Object.keys(published).sort())
    for (const cell of published[country]!) {
      const name = keyName(cell.key);
      const total = byKey.get(name) ?? { key: cell.key, value: 0, countries: [], withheldBy: [] };
      total.countries.push(country);
      if (cell.value === null) total.withheldBy.push(country);
      total.value = total.withheldBy.length > 0 ? null : total.value! + cell.value!;
      byKey.set(name, total);
    }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, t]) => (t.value === null ? { ...t, flag: 'c' } : t));
}

beforeAll(async () => {
  const hubProcess = await startEmbedded(join(work, 'hub', 'data'), join(work, 'hub'), 0, {
    MOSY_ROLE: 'hub',
  });
  processes.push(hubProcess);
  hub = createClient(hubProcess.url);
  analyst = (await issueKey(hub, hubProcess.adminToken, 'analyst')).key;
  const register = async (country: string) =>
    expectStatus(
      await hub.request<{ key: string }>('POST', '/v1/hub/nodes', {
        key: hubProcess.adminToken,
        json: { country },
      }),
      201,
      `register ${country}`,
    ).key;
  const [pt, es] = [await register('PT'), await register('ES')];
  nodes.push(
    ...(await Promise.all([
      startNode('PT', 101, pt, hubProcess.url),
      startNode('ES', 202, es, hubProcess.url),
    ])),
  );
}, 80_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  rmSync(work, { recursive: true, force: true });
});

describe('the hub', () => {
  it('sums what the nodes published, keeps withheld values withheld, and takes revisions', async () => {
    const [pt, es] = nodes as [Node, Node];
    const published: Record<string, Cell[]> = {};
    for (const node of [pt, es]) {
      const { revision, observations } = await publish(node, false);
      expect(revision).toBe(0);
      published[node.country] = observations;
      expect(await send(node, 0)).toEqual({
        country: node.country,
        period: PERIOD,
        revision: 0,
        outcome: 'stored',
      });
      // Idempotent: the same revision again changes nothing.
      expect((await send(node, 0)).outcome).toBe('same');
    }
    const first = await hubTotals();
    expect(first.reports).toEqual([
      { country: 'ES', revision: 0 },
      { country: 'PT', revision: 0 },
    ]);
    expect(first.totals).toEqual(expectedTotals(published));
    // Totals over both countries with both values published: the sum of the two, e.g. the first of them.
    const summed = first.totals.filter((t) => t.countries.length === 2 && t.value !== null);
    expect(summed.length).toBeGreaterThan(0);
    const valueOf = (country: string, key: Cell['key']) =>
      published[country]!.find((c) => keyName(c.key) === keyName(key))!.value!;
    expect(summed[0]!.value).toBe(valueOf('PT', summed[0]!.key) + valueOf('ES', summed[0]!.key));
    // Some national value is withheld, and the totals that include it are withheld too.
    const withheld = first.totals.filter((t) => t.withheldBy.length > 0);
    expect(withheld.length).toBeGreaterThan(0);
    expect(withheld.every((t) => t.value === null && t.flag === 'c')).toBe(true);

    // Late data at PT, a revision, published and sent: the hub replaces PT's figures.
    await submitAll(pt.client, pt.late, pt.keys);
    await waitIdle(pt.client, pt.coordinator, 60_000);
    const revised = await publish(pt, true);
    expect(revised.revision).toBe(1);
    expect((await send(pt, 1)).outcome).toBe('stored');
    published.PT = revised.observations;
    const second = await hubTotals();
    expect(second.reports).toEqual([
      { country: 'ES', revision: 0 },
      { country: 'PT', revision: 1 },
    ]);
    expect(second.totals).toEqual(expectedTotals(published));
    expect(second.totals).not.toEqual(first.totals);

    // An older revision is refused, with the hub's reason passed on.
    expect((await send(pt, 0, 409)).detail).toBe(
      `Not sent: the hub answered 409: The hub holds revision 1 of PT ${PERIOD}; revision 0 is older and is refused.`,
    );
  }, 90_000);

  it('refuses a node key for another country, and drops a withdrawn report from the totals', async () => {
    const [pt, es] = nodes as [Node, Node];
    const other = await hub.request<{ detail: string }>('PUT', `/v1/hub/reports/ES/${PERIOD}`, {
      key: pt.nodeKey,
      json: { revision: 5, observations: [{ key: { indicator: 'victims', period: PERIOD }, value: 1 }] },
    });
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe('This node key publishes for PT, not ES.');
    expect((await hub.request('DELETE', `/v1/hub/reports/ES/${PERIOD}`, { key: pt.nodeKey })).status).toBe(
      403,
    );
    const withdrawn = await hub.request('DELETE', `/v1/hub/reports/ES/${PERIOD}`, { key: es.nodeKey });
    expect(withdrawn.status).toBe(200);
    const after = await hubTotals();
    expect(after.reports).toEqual([{ country: 'PT', revision: 1 }]);
    expect(after.totals.every((t) => t.countries.join() === 'PT')).toBe(true);
  });

  it('never logs a node key, in the hub or in the nodes', () => {
    const logs = ['hub', 'PT', 'ES'].map((dir) => readFileSync(join(work, dir, 'embedded.log'), 'utf8'));
    // The nodes logged their requests (debug), the sends among them.
    expect(logs[1]).toContain('/send');
    for (const node of nodes) for (const log of logs) expect(log).not.toContain(node.nodeKey);
  });
});
