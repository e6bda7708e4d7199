import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellKeyOf, defaultPerturbationTable, keySumOf, perturb, personKeyNumber } from '@mosy/core';
import { createLiveUpdates, publishApplied, type LiveUpdates } from './live.js';
import { readSse, startTrendsFixture, victims, type TrendsFixture } from './test-support/trends-fixture.js';

interface Values {
  indicator: string;
  cells: { sex: string; value: number | null; flag?: string }[];
  total: number | null;
}

const valueOf = (data: unknown, indicator: string, sex: string): number | null | undefined =>
  (data as Values[]).find((v) => v.indicator === indicator)?.cells.find((c) => c.sex === sex)?.value;

let fx: TrendsFixture | undefined;
const controllers: AbortController[] = [];
afterEach(async () => {
  for (const c of controllers.splice(0)) c.abort();
  await fx?.close();
  fx = undefined;
});

async function connect(f: TrendsFixture, query: string, role: 'analyst' | 'coordinator') {
  const controller = new AbortController();
  controllers.push(controller);
  // Coordinators ask for unprotected values explicitly (and are audited); analysts cannot.
  const protection = role === 'coordinator' ? '&protection=none' : '';
  const response = await fetch(`${f.url}/v1/live?${query}${protection}`, {
    headers: { authorization: `Bearer ${f.keys[role]}` },
    signal: controller.signal,
  });
  return { response, stream: readSse(response), controller };
}

describe('createLiveUpdates', () => {
  it('delivers to each subscriber until it unsubscribes, and survives a throwing listener', () => {
    const updates = createLiveUpdates();
    const seen: number[] = [];
    updates.subscribe(() => {
      throw new Error('broken stream');
    });
    const off = updates.subscribe((e) => seen.push(e.applied));
    updates.publish({ applied: 2, ignored: 0 });
    off();
    updates.publish({ applied: 5, ignored: 0 });
    expect(seen).toEqual([2]);
  });

  it('publishApplied forwards only batches that changed something', () => {
    const updates = createLiveUpdates();
    const seen: number[] = [];
    updates.subscribe((e) => seen.push(e.applied));
    publishApplied(updates)({ applied: 0, ignored: 3 });
    publishApplied(updates)({ applied: 4, ignored: 1 });
    expect(seen).toEqual([4]);
  });
});

describe('GET /v1/live', () => {
  it('sends a snapshot, then one debounced update with the new counts after applied batches', async () => {
    fx = await startTrendsFixture({ live: { debounceMs: 300 } });
    await fx.stores.store.apply(victims(6, '2025-03-01', 'F'));
    const { response, stream } = await connect(fx, 'indicators=victims,suspects&by=sex', 'coordinator');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const snapshot = await stream.next((e) => e.event === 'snapshot');
    expect((snapshot.data as Values[]).map((v) => v.indicator)).toEqual(['victims', 'suspects']);
    expect(valueOf(snapshot.data, 'victims', 'F')).toBe(6);
    expect((snapshot.data as Values[])[1]).toMatchObject({ indicator: 'suspects', cells: [], total: 0 });

    const updates = fx.updates as LiveUpdates;
    // Both batches are applied before either is announced: announced between two applies, the debounce window
    // could close before a slow second apply lands (it did on a loaded machine), and the test would depend on the
    // store's speed rather than on the debounce.
    await fx.stores.store.apply(victims(3, '2025-03-02', 'F'));
    await fx.stores.store.apply(victims(7, '2025-03-03', 'M'));
    updates.publish({ applied: 3, ignored: 0 });
    updates.publish({ applied: 7, ignored: 0 });
    const update = await stream.next((e) => e.event === 'update');
    expect(valueOf(update.data, 'victims', 'F')).toBe(9);
    expect(valueOf(update.data, 'victims', 'M')).toBe(7);
    expect((update.data as Values[])[0]?.total).toBe(16);
    // Both batches landed within one debounce window: one update, not two.
    await new Promise((r) => setTimeout(r, 500));
    expect(stream.events.map((e) => e.event)).toEqual(['snapshot', 'update']);
  });

  it('protects an analyst’s values by suppression', async () => {
    fx = await startTrendsFixture();
    await fx.stores.store.apply([...victims(8, '2025-03-01', 'F'), ...victims(2, '2025-03-01', 'M')]);
    const { stream } = await connect(fx, 'indicators=victims&by=sex', 'analyst');
    const snapshot = (await stream.next((e) => e.event === 'snapshot')).data as Values[];
    expect(snapshot[0]?.cells).toEqual([
      { sex: 'F', value: null, flag: 'c' },
      { sex: 'M', value: null, flag: 'c' },
    ]);
    expect(snapshot[0]?.total).toBe(10);
  });

  it('protects an analyst’s values by the cell key method where the deployment uses it', async () => {
    fx = await startTrendsFixture({ disclosure: { threshold: 5, adHoc: 'perturb' } });
    const female = victims(8, '2025-03-01', 'F');
    const male = victims(2, '2025-03-01', 'M');
    await fx.stores.store.apply([...female, ...male]);
    const { stream } = await connect(fx, 'indicators=victims&by=sex', 'analyst');
    const snapshot = (await stream.next((e) => e.event === 'snapshot')).data as (Values & {
      disclosure: { method: string };
    })[];
    // Computed here from the persons: the total's perturbation comes from the key sum of all ten.
    const keyed = (records: typeof female) =>
      cellKeyOf(keySumOf(records.map((r) => personKeyNumber(r.personKey))));
    const total = perturb(10, keyed([...female, ...male]), defaultPerturbationTable());
    expect(snapshot[0]?.disclosure.method).toBe('cell-key');
    expect(snapshot[0]?.total).toBe(total.value);
    // 2 is withheld whatever its key; 8 goes with it, or the total would give it away.
    expect(snapshot[0]?.cells).toEqual([
      { sex: 'F', value: null, flag: 'c' },
      { sex: 'M', value: null, flag: 'c' },
    ]);
  });

  it('polls the store when there are no in-process updates, sending only changes', async () => {
    fx = await startTrendsFixture({ polling: true, live: { pollMs: 100 } });
    const { stream } = await connect(fx, 'indicators=victims&by=sex', 'coordinator');
    await stream.next((e) => e.event === 'snapshot');
    await new Promise((r) => setTimeout(r, 350));
    expect(stream.events).toHaveLength(1);
    await fx.stores.store.apply(victims(5, '2025-06-01', 'F'));
    const update = await stream.next((e) => e.event === 'update');
    expect(valueOf(update.data, 'victims', 'F')).toBe(5);
  });

  it('sends heartbeats and unsubscribes when the client goes away', async () => {
    const hub = createLiveUpdates();
    let live = 0;
    let unsubscribed!: () => void;
    const gone = new Promise<void>((resolve) => (unsubscribed = resolve));
    const counting: LiveUpdates = {
      publish: (e) => hub.publish(e),
      subscribe: (listener) => {
        live += 1;
        const off = hub.subscribe(listener);
        return () => {
          live -= 1;
          off();
          unsubscribed();
        };
      },
    };
    fx = await startTrendsFixture({ live: { updates: counting, heartbeatMs: 50 } });
    const { stream, controller } = await connect(fx, 'indicators=victims', 'analyst');
    await stream.next((e) => e.event === 'snapshot');
    // Waits for the heartbeats themselves (bounded generously), not for a time in which they should have come.
    await vi.waitFor(
      () => expect(stream.comments.filter((c) => c === ': heartbeat').length).toBeGreaterThanOrEqual(2),
      { timeout: 10_000, interval: 10 },
    );
    expect(live).toBe(1);
    controller.abort();
    await Promise.race([
      gone,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('no unsubscription within 10 s')), 10_000),
      ),
    ]);
    expect(live).toBe(0);
  }, 30_000);

  it('answers problem+json before streaming for a bad query or role', async () => {
    fx = await startTrendsFixture();
    for (const [query, status] of [
      ['', 400],
      ['indicators=nope', 400],
      ['indicators=victims&by=colour', 400],
    ] as const) {
      const r = await fx.get(`/v1/live?${query}`, 'analyst');
      expect([query, r.status, r.type]).toEqual([query, status, 'application/problem+json; charset=utf-8']);
    }
    expect((await fx.get('/v1/live?indicators=victims', 'provider')).status).toBe(403);
  });
});
