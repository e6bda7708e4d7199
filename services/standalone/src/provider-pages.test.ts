/**
 * What the web app's data entry and dashboard ask of the API, through the embedded runtime: a provider reads its
 * own mapping; a dry run (`dryRun=true`) answers the receipt a submission would get and accepts, publishes and keeps
 * nothing; the providers' activity counts each provider's submissions and the time of its latest one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './test-support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

interface Receipt {
  submissionId: string;
  receivedAt: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  dryRun?: boolean;
  records: { status: string }[];
}
interface Status {
  idle: boolean;
  records: number;
}

async function idleStatus(): Promise<Status> {
  for (;;) {
    const status = (await (await world.call('analyst', 'GET', '/v1/status')).json()) as Status;
    if (status.idle) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a provider’s own mapping', () => {
  it('is the current mapping the admin API holds for that provider, and only that provider’s', async () => {
    for (const [caller, id] of [
      ['provider', world.providerId],
      ['otherProvider', world.otherProviderId],
    ] as const) {
      const own = (await (await world.call(caller, 'GET', '/v1/mapping')).json()) as {
        provider: { id: string };
        mapping: unknown;
      };
      const admin = (await (await world.call('bootstrap', 'GET', `/v1/admin/providers/${id}`)).json()) as {
        mapping: unknown;
      };
      expect(own.provider.id).toBe(id);
      expect(own.mapping).toEqual(admin.mapping);
    }
  });
});

describe('a dry run', () => {
  it('answers the receipt a submission would get and accepts nothing', async () => {
    const before = await idleStatus();
    const quality = await (await world.call('provider', 'GET', '/v1/quality')).json();
    const bad = { ...world.records[0], recordId: 'dry-bad', kind: 'alien' };
    const records = [...world.records, bad];
    const preview = await world.call('provider', 'POST', '/v1/submissions?dryRun=true', { records });
    expect(preview.status).toBe(202);
    const receipt = (await preview.json()) as Receipt;
    expect(receipt).toMatchObject({
      submissionId: 'preview',
      dryRun: true,
      accepted: world.records.length,
      duplicates: 0,
      rejected: 1,
    });
    expect((await world.call('provider', 'GET', '/v1/submissions/preview')).status).toBe(404);
    expect((await idleStatus()).records).toBe(before.records);
    expect(await (await world.call('provider', 'GET', '/v1/quality')).json()).toEqual(quality);

    // Nothing was marked accepted: the real submission accepts every record, and a dry run after it sees duplicates.
    const real = (await (
      await world.call('provider', 'POST', '/v1/submissions', { records })
    ).json()) as Receipt;
    expect([real.accepted, real.duplicates, real.rejected, real.dryRun]).toEqual([
      world.records.length,
      0,
      1,
      undefined,
    ]);
    expect((await idleStatus()).records).toBe(before.records + world.records.length);
    const again = (await (
      await world.call('provider', 'POST', '/v1/submissions?dryRun=true', { records })
    ).json()) as Receipt;
    expect([again.accepted, again.duplicates, again.rejected]).toEqual([0, world.records.length, 1]);
  });

  it('refuses a dryRun that is neither true nor false', async () => {
    const res = await world.call('provider', 'POST', '/v1/submissions?dryRun=yes', {
      records: world.records,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid-query');
  });
});

describe('providers’ activity', () => {
  it('counts each provider’s submissions, with the time of the latest, and no dry run', async () => {
    type Activity = {
      providers: { id: string; submissions: number; lastSubmittedAt?: number; pending?: number }[];
    };
    const read = async (): Promise<Activity> =>
      (await (await world.call('analyst', 'GET', '/v1/status/providers')).json()) as Activity;
    const before = await read();
    // Without the backlog, which moves as the pipeline works (checked below, once it is idle).
    const mine = (a: Activity) => {
      const found = a.providers.find((p) => p.id === world.providerId);
      if (found === undefined) return undefined;
      const { pending: _pending, ...rest } = found;
      return rest;
    };
    await world.call('provider', 'POST', '/v1/submissions?dryRun=true', { records: world.records });
    expect(mine(await read())).toEqual(mine(before));
    const receipt = (await (
      await world.call('provider', 'POST', '/v1/submissions', { records: world.records })
    ).json()) as Receipt;
    const after = await read();
    expect(mine(after)).toEqual({
      ...mine(before),
      submissions: (mine(before)?.submissions ?? 0) + 1,
      lastSubmittedAt: receipt.receivedAt,
    });
    expect(after.providers.map((p) => p.id).sort()).toEqual([world.providerId, world.otherProviderId].sort());
    await idleStatus();
    expect((await read()).providers.map((p) => p.pending)).toEqual([undefined, undefined]);
    const asCoordinator = (await (
      await world.call('coordinator', 'GET', '/v1/status/providers')
    ).json()) as Activity;
    expect(asCoordinator.providers.map((p) => p.pending)).toEqual([0, 0]);
  });
});
