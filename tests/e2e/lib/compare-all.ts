/**
 * Asks the report API every planned query of every indicator in its catalogue and compares each answer, cell by
 * cell and total, with the reference computation over the truth. Returns the differences as readable lines, so a
 * failing run says which query and which cell went wrong.
 */
import { referenceQuery, type SyntheticDataset, type TruthRecord } from '@mosy/testkit';
import { expectStatus, type Client } from './client.js';
import { waitIdle } from './load.js';
import {
  comparison,
  pathOf,
  queriesFor,
  storeQueryOf,
  type ApiCell,
  type CatalogueIndicator,
} from './queries.js';

export interface ComparisonReport {
  /** One line per differing cell or total, prefixed with the query path. */
  readonly problems: readonly string[];
  readonly queries: number;
  /** Cells of the reference answers that are `YYYY-unspecified` periods (the suite must exercise them). */
  readonly unspecifiedCells: number;
  /** Indicator id → the reference total of its first CKI query (the suite must not compare empty answers only). */
  readonly baseTotals: Readonly<Record<string, number>>;
}

/** The catalogue as the API serves it. */
export async function fetchCatalogue(client: Client, key: string): Promise<CatalogueIndicator[]> {
  const reply = await client.request<{ indicators: CatalogueIndicator[] }>('GET', '/v1/indicators', { key });
  return expectStatus(reply, 200, 'indicator catalogue').indicators;
}

/** Provider ids with records of a kind in the truth, most records first. */
function providersOfKind(truth: readonly TruthRecord[], kind: string): string[] {
  const counts = new Map<string, number>();
  for (const t of truth) if (t.kind === kind) counts.set(t.providerId, (counts.get(t.providerId) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

/**
 * Compares the API with the reference for every indicator: `full` asks the whole plan of `queriesFor`, `cki` only
 * the CKI breakdowns of the catalogue.
 */
export async function compareIndicators(
  client: Client,
  key: string,
  catalogue: readonly CatalogueIndicator[],
  dataset: SyntheticDataset,
  truth: readonly TruthRecord[],
  mode: 'full' | 'cki',
): Promise<ComparisonReport> {
  const problems: string[] = [];
  const baseTotals: Record<string, number> = {};
  let queries = 0;
  let unspecifiedCells = 0;
  for (const indicator of catalogue) {
    const plan =
      mode === 'full'
        ? queriesFor(indicator, dataset.years, dataset.providers, providersOfKind(truth, indicator.kind))
        : indicator.cki.map((cki) => ({ by: cki.by }));
    for (const [i, q] of plan.entries()) {
      const path = pathOf(indicator, q);
      const storeQuery = storeQueryOf(indicator, q, dataset.providers);
      const reference = referenceQuery(truth, storeQuery);
      if (i === 0) baseTotals[indicator.id] = reference.total;
      unspecifiedCells += reference.cells.filter((c) => c.period?.endsWith('-unspecified') === true).length;
      const reply = await client.request<{ unit: string; cells: ApiCell[]; total: number }>('GET', path, {
        key,
      });
      queries++;
      if (reply.status !== 200) {
        problems.push(`${path}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
        continue;
      }
      const expectedUnit = indicator.unit === 'cases' ? 'cases' : storeQuery.unit;
      if (reply.body.unit !== expectedUnit)
        problems.push(`${path}: unit ${reply.body.unit}, expected ${expectedUnit}`);
      for (const line of comparison(q, reply.body, reference).slice(0, 8)) problems.push(`${path}: ${line}`);
    }
  }
  return { problems, queries, unspecifiedCells, baseTotals };
}

/** What a long run ends with: whether every CKI query and the record count equal the truth once the pipeline is idle. */
export interface ExactCounts {
  readonly recordsCounted: number;
  readonly recordsExpected: number;
  readonly queriesCompared: number;
  /** The first 20 differences. */
  readonly problems: readonly string[];
  readonly exact: boolean;
  /** Seconds from the call until the pipeline was idle (the drain). */
  readonly idleAfterS: number;
}

/** Waits (up to 10 minutes) until the pipeline is idle, then compares every CKI query and the record count. */
export async function exactCountsWhenIdle(
  client: Client,
  key: string,
  dataset: SyntheticDataset,
): Promise<ExactCounts> {
  const started = Date.now();
  const status = await waitIdle(client, key, 600_000);
  const idleAfterS = (Date.now() - started) / 1000;
  const catalogue = await fetchCatalogue(client, key);
  const report = await compareIndicators(client, key, catalogue, dataset, dataset.truth, 'cki');
  const recordsExpected = dataset.truth.filter((t) => !t.withdrawn).length;
  return {
    recordsCounted: status.records,
    recordsExpected,
    queriesCompared: report.queries,
    problems: report.problems.slice(0, 20),
    exact: report.problems.length === 0 && status.records === recordsExpected,
    idleAfterS,
  };
}
