/**
 * The contract every `EventBus` adapter passes (`@mosy/bus-memory`, `@mosy/bus-kafka`), called by each adapter's
 * tests as `runEventBusContract({ create })`. Each test gets a fresh bus whose topics hold nothing yet. The suite
 * assumes no more ordering than the port promises (order per key; topics may have several partitions), uses a new
 * group name per consumer, and waits for deliveries and lag values with generous but bounded polls, so that it runs
 * unchanged against a real Kafka cluster.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import type {
  DeadLetter,
  DeliveredMessage,
  EventBus,
  OutgoingMessage,
  Subscription,
  Topic,
  TopicPayloads,
} from '@mosy/core';
import { buildNormalizedRecord } from '../builders.js';
import { buildDeadLetter, buildSubmissionMessage } from '../message-builders.js';

/** What the runtime gives a bus when it creates one, passed on by `create` to the adapter's options. */
export interface BusHooks {
  /** Told about the dead letters the bus's consumers wrote, once they are on the dead-letter topic. */
  readonly onDeadLetters: (letters: readonly DeadLetter[]) => Promise<void>;
}

export interface EventBusContractOptions {
  /**
   * A fresh bus whose topics are empty, and how to dispose of it. `close` is called after every test, also when
   * the test closed the bus itself.
   */
  readonly create: (
    hooks: BusHooks,
  ) => Promise<{ readonly bus: EventBus; readonly close: () => Promise<void> }>;
  /** Longest wait for a delivery or a lag value. @defaultValue 20_000 */
  readonly waitMs?: number;
  /** Timeout of each test. @defaultValue 60_000 */
  readonly timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds, failing with `what` after `waitMs`. */
async function eventually(
  what: string,
  waitMs: number,
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${waitMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}
const deferred = (): Deferred => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** Sorts delivered or published messages by key then version-ish JSON, for comparisons where order is free. */
const byKey = <M extends { key: string }>(messages: readonly M[]): M[] =>
  [...messages].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

const stripPosition = <T>(messages: readonly DeliveredMessage<T>[]): OutgoingMessage<T>[] =>
  messages.map(({ key, value }) => ({ key, value }));

export function runEventBusContract(options: EventBusContractOptions): void {
  const waitMs = options.waitMs ?? 20_000;
  const timeout = options.timeoutMs ?? 60_000;

  describe('EventBus contract', () => {
    let bus: EventBus;
    let close: () => Promise<void>;
    let subscriptions: Subscription[];
    /** A prefix for this test's keys and groups. */
    let run: string;
    /** What the bus told `onDeadLetters`, call by call. */
    let told: (readonly DeadLetter[])[];

    beforeEach(async () => {
      told = [];
      ({ bus, close } = await options.create({
        onDeadLetters: (letters) => {
          told.push(letters);
          return Promise.resolve();
        },
      }));
      subscriptions = [];
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await Promise.all(subscriptions.map((s) => s.stop().catch(() => undefined)));
      await close();
    });

    const group = (name: string): string => `contract-${run}-${name}`;

    /** Consumes into arrays; `handler` may throw to fail a batch. */
    async function collect<T extends Topic>(
      topic: T,
      groupName: string,
      handler: (batch: readonly DeliveredMessage<TopicPayloads[T]>[], call: number) => Promise<void> = () =>
        Promise.resolve(),
      maxBatch?: number,
    ) {
      const batches: (readonly DeliveredMessage<TopicPayloads[T]>[])[] = [];
      const handled: DeliveredMessage<TopicPayloads[T]>[] = [];
      const subscription = await bus.consume(
        topic,
        groupName,
        async (batch) => {
          batches.push(batch);
          await handler(batch, batches.length);
          handled.push(...batch);
        },
        maxBatch === undefined ? undefined : { maxBatch },
      );
      subscriptions.push(subscription);
      return { batches, handled, subscription };
    }

    const deadLetters = (
      key: string,
      from: number,
      to: number,
    ): OutgoingMessage<TopicPayloads['deadletter']>[] =>
      Array.from({ length: to - from + 1 }, (_, i) => ({
        key,
        value: buildDeadLetter({ recordId: key, version: from + i, reason: `message ${from + i}` }),
      }));

    describe('round trip', () => {
      it(
        'delivers submissions exactly as published, identity and every kind of raw value included',
        { timeout },
        async () => {
          const messages: OutgoingMessage<TopicPayloads['submissions']>[] = [
            {
              key: `prov-a/${run}-1`,
              value: buildSubmissionMessage({
                submissionId: `${run}-s1`,
                providerType: 'NGO',
                record: {
                  recordId: `${run}-1`,
                  version: 3,
                  referenceDate: '2026-03',
                  fields: {
                    gender: 'w',
                    age: 17,
                    score: 0.25,
                    minor: true,
                    forms: ['sexual', 'labour'],
                    notes: null,
                  },
                  identity: { givenName: 'Ana', familyName: 'Exemplo', dateOfBirth: '2008-05-01' },
                },
              }),
            },
            {
              key: `prov-a/${run}-2`,
              value: buildSubmissionMessage({
                submissionId: `${run}-s1`,
                record: {
                  recordId: `${run}-2`,
                  action: 'withdraw',
                  kind: 'prosecution',
                  referenceDate: '2025',
                  fields: {},
                },
              }),
            },
          ];
          await bus.publish('submissions', messages);
          await bus.publish('submissions', []);
          const { handled } = await collect('submissions', group('rt'));
          await eventually('2 submissions', waitMs, () => handled.length >= 2);
          expect(byKey(stripPosition(handled))).toStrictEqual(byKey(messages));
          expect(new Set(handled.map((m) => m.position)).size).toBe(2);
          for (const m of handled) expect(m.position).toMatch(/\S/);
        },
      );

      it(
        'delivers normalized records exactly as published, every canonical field included',
        { timeout },
        async () => {
          const full = buildNormalizedRecord({
            recordId: `${run}-1`,
            providerType: 'NGO',
            version: 4,
            personKey: 'p:3q2+7w9kZx0bW5yU1v8mTg',
            recordKey: 4_294_967_295,
            quality: ['unmapped:sex', 'defaulted:status'],
            fields: {
              status: 'PRESUMED',
              sex: 'F',
              ageGroup: '16-17',
              citizenship: ['BR', 'PT'],
              exploitation: ['SEX', 'LAB'],
              regionOfIdentification: 'PT17',
              regionOfExploitation: 'PT170',
              countryOfRecruitment: 'NA',
              assistance: 'Y',
              reflectionPeriod: 'N',
              residencePermit: 'UNK',
              meansOfControl: ['DEBT', 'DOCUMENTS'],
              recruiterRelationship: ['PARTNER'],
              labourSector: 'I',
            },
          });
          const prosecution = buildNormalizedRecord({
            recordId: `${run}-2`,
            kind: 'prosecution',
            referenceDate: '2025',
            fields: { outcome: 'FINALISED_CONVICTION' },
          });
          const withdrawal = buildNormalizedRecord({ recordId: `${run}-3`, action: 'withdraw', version: 2 });
          const messages = [full, prosecution, withdrawal].map((value) => ({
            key: `prov-a/${value.recordId}`,
            value,
          }));
          await bus.publish('records', messages);
          const { handled } = await collect('records', group('rt'));
          await eventually('3 records', waitMs, () => handled.length >= 3);
          expect(byKey(stripPosition(handled))).toStrictEqual(byKey(messages));
        },
      );

      it('delivers dead letters exactly as published', { timeout }, async () => {
        const messages = [
          { key: `prov-a/${run}-1`, value: buildDeadLetter({ recordId: `${run}-1`, stage: 'ingest' }) },
          {
            key: `prov-b/${run}-2`,
            value: buildDeadLetter({ providerId: 'prov-b', stage: 'aggregator', version: 9 }),
          },
        ];
        await bus.publish('deadletter', messages);
        const { handled } = await collect('deadletter', group('rt'));
        await eventually('2 dead letters', waitMs, () => handled.length >= 2);
        expect(byKey(stripPosition(handled))).toStrictEqual(byKey(messages));
      });

      it(
        'rejects a whole publish holding a message that does not fit the schema, delivering none of it',
        { timeout },
        async () => {
          const valid = { key: `k-${run}`, value: buildNormalizedRecord({ recordId: `${run}-ok` }) };
          const invalid = {
            key: `k-${run}`,
            value: buildNormalizedRecord({ recordId: `${run}-bad`, fields: { age: '17' } as never }),
          };
          await expect(bus.publish('records', [valid, invalid])).rejects.toThrow();
          const marker = { key: `k-${run}`, value: buildNormalizedRecord({ recordId: `${run}-marker` }) };
          await bus.publish('records', [marker]);
          const { handled } = await collect('records', group('schema'));
          await eventually('the marker', waitMs, () =>
            handled.some((m) => m.value.recordId === `${run}-marker`),
          );
          expect(handled.map((m) => m.value.recordId)).toEqual([`${run}-marker`]);
        },
      );
    });

    it(
      'keeps the order of messages with the same key across publishes and batches',
      { timeout },
      async () => {
        const keys = ['a', 'b', 'c', 'd'].map((k) => `${k}-${run}`);
        for (let round = 0; round < 5; round++) {
          // Keys interleaved differently in each publish; five versions of each key per publish.
          const rotated = [...keys.slice(round % 4), ...keys.slice(0, round % 4)];
          const messages = [];
          for (let v = 1; v <= 5; v++) {
            for (const key of rotated) messages.push(...deadLetters(key, round * 5 + v, round * 5 + v));
          }
          await bus.publish('deadletter', messages);
        }
        const { batches, handled } = await collect('deadletter', group('order'), undefined, 7);
        await eventually('100 messages', waitMs, () => handled.length >= 100);
        for (const key of keys) {
          const versions = handled.filter((m) => m.key === key).map((m) => m.value.version);
          expect(versions, key).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        }
        for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(7);
      },
    );

    it(
      'delivers in batches of at most 1000 by default, every message once when nothing fails',
      { timeout },
      async () => {
        const key = `bulk-${run}`;
        await bus.publish('deadletter', deadLetters(key, 1, 1200));
        await bus.publish('deadletter', deadLetters(key, 1201, 2500));
        const { batches, handled } = await collect('deadletter', group('bulk'));
        await eventually('2500 messages', waitMs, () => handled.length >= 2500);
        expect(handled.map((m) => m.value.version)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
        for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(1000);
      },
    );

    it(
      'delivers a batch whose handler failed again, from its first message, until it succeeds',
      { timeout },
      async () => {
        const key = `retry-${run}`;
        await bus.publish('deadletter', deadLetters(key, 1, 5));
        const { batches, handled } = await collect('deadletter', group('retry'), (_batch, call) =>
          call <= 2 ? Promise.reject(new Error(`handler failure ${call}`)) : Promise.resolve(),
        );
        await eventually('5 handled messages', waitMs, () => handled.length >= 5);
        expect(batches.length).toBeGreaterThanOrEqual(3);
        const [first, second, third] = batches;
        expect(second?.[0]).toStrictEqual(first?.[0]);
        expect(third?.[0]).toStrictEqual(first?.[0]);
        expect(handled.map((m) => m.value.version)).toEqual([1, 2, 3, 4, 5]);
      },
    );

    it(
      'sends a batch that failed for good to the dead-letter topic with the reason, and moves on',
      { timeout },
      async () => {
        const records = Array.from({ length: 12 }, (_, i) => ({
          key: `prov-dl/${run}-${i}`,
          value: buildNormalizedRecord({ providerId: 'prov-dl', recordId: `${run}-${i}`, version: i + 1 }),
        }));
        await bus.publish('records', records);
        const name = group('for-good');
        const failure = new MosyError('invalid-field', `fields.sex: not a code (${run})`);
        const { batches, handled } = await collect(
          'records',
          name,
          (_batch, call) => (call === 1 ? Promise.reject(failure) : Promise.resolve()),
          5,
        );
        const letters = await collect('deadletter', group('letters'));
        await eventually('lag 0', waitMs, async () => (await bus.lag('records', name)) === 0);
        const failed = batches[0]!;
        await eventually(
          `${failed.length} dead letters`,
          waitMs,
          () => letters.handled.length >= failed.length,
        );
        // Not retried: every message was handed over once, the failed batch included.
        expect(
          batches
            .flat()
            .map((m) => m.key)
            .sort(),
        ).toEqual(records.map((r) => r.key).sort());
        expect(handled.length).toBe(12 - failed.length);
        expect(
          byKey(stripPosition(letters.handled)).map((l) => ({
            key: l.key,
            value: { ...l.value, failedAt: 0 },
          })),
        ).toEqual(
          byKey(failed).map((m) => ({
            key: m.key,
            value: {
              stage: 'aggregator',
              providerId: 'prov-dl',
              recordId: m.value.recordId,
              version: m.value.version,
              code: 'invalid-field',
              reason: failure.message,
              receivedAt: m.value.receivedAt,
              failedAt: 0,
            },
          })),
        );
        // And told the runtime about them, once, after they were on the topic.
        expect(
          byKey(
            told.flat().map((letter) => ({ key: `${letter.providerId}/${letter.recordId}`, value: letter })),
          ),
        ).toEqual(byKey(stripPosition(letters.handled)));
      },
    );

    it(
      'skips a batch of the dead-letter topic that failed for good, writing no dead letter',
      { timeout },
      async () => {
        const key = `skip-${run}`;
        await bus.publish('deadletter', deadLetters(key, 1, 6));
        const name = group('skip');
        const { batches, handled } = await collect(
          'deadletter',
          name,
          (_batch, call) =>
            call === 1
              ? Promise.reject(new MosyError('invalid-field', 'a dead letter it cannot take'))
              : Promise.resolve(),
          4,
        );
        await eventually('lag 0', waitMs, async () => (await bus.lag('deadletter', name)) === 0);
        expect(
          batches
            .flat()
            .map((m) => m.value.version)
            .sort((a, b) => a - b),
        ).toEqual([1, 2, 3, 4, 5, 6]);
        expect(handled.length).toBe(6 - batches[0]!.length);
        // Nothing was added to the topic: six messages, all of them the ones published.
        const all = await collect('deadletter', group('all'));
        await eventually('6 messages', waitMs, () => all.handled.length >= 6);
        await sleep(200);
        expect(all.handled.map((m) => m.key)).toEqual(Array.from({ length: 6 }, () => key));
        expect(told).toEqual([]);
      },
    );

    it(
      'commits only after success: a new consumer of the group resumes at the failed batch',
      { timeout },
      async () => {
        const key = `resume-${run}`;
        await bus.publish('deadletter', deadLetters(key, 1, 12));
        const name = group('resume');
        const first = await collect(
          'deadletter',
          name,
          (_batch, call) =>
            call === 1 ? Promise.resolve() : Promise.reject(new Error('fails after the first batch')),
          5,
        );
        await eventually('a failed second batch', waitMs, () => first.batches.length >= 2);
        await first.subscription.stop();
        const committed = first.batches[0]!.length;
        expect(first.handled.map((m) => m.value.version)).toEqual(
          Array.from({ length: committed }, (_, i) => i + 1),
        );
        await eventually(
          `lag ${12 - committed}`,
          waitMs,
          async () => (await bus.lag('deadletter', name)) === 12 - committed,
        );

        const second = await collect('deadletter', name, undefined, 5);
        await eventually('the rest', waitMs, () => second.handled.some((m) => m.value.version === 12));
        expect(second.handled.map((m) => m.value.version)).toEqual(
          Array.from({ length: 12 - committed }, (_, i) => committed + i + 1),
        );
        await eventually('lag 0', waitMs, async () => (await bus.lag('deadletter', name)) === 0);
      },
    );

    it('stop waits for the batch in hand, commits it and fetches no more', { timeout }, async () => {
      const key = `stop-${run}`;
      await bus.publish('deadletter', deadLetters(key, 1, 6));
      const name = group('stop');
      const release = deferred();
      const entered = deferred();
      const first = await collect(
        'deadletter',
        name,
        async () => {
          entered.resolve();
          await release.promise;
        },
        3,
      );
      await entered.promise;
      let stopped = false;
      const stopping = first.subscription.stop().then(() => {
        stopped = true;
      });
      await sleep(200);
      expect(stopped).toBe(false);
      release.resolve();
      await stopping;
      const inHand = first.batches[0]!.length;
      expect(first.batches).toHaveLength(1);
      await eventually(
        `lag ${6 - inHand}`,
        waitMs,
        async () => (await bus.lag('deadletter', name)) === 6 - inHand,
      );
      await sleep(200);
      expect(first.batches).toHaveLength(1);

      const second = await collect('deadletter', name);
      await eventually('the rest', waitMs, () => second.handled.some((m) => m.value.version === 6));
      expect(second.handled[0]?.value.version).toBe(inHand + 1);
    });

    it('counts lag as published and not yet committed by the group', { timeout }, async () => {
      const key = `lag-${run}`;
      const name = group('lag');
      await bus.publish('deadletter', deadLetters(key, 1, 7));
      // A group that never committed lags by everything in the topic.
      await eventually(
        'lag 7 before consuming',
        waitMs,
        async () => (await bus.lag('deadletter', name)) === 7,
      );
      const { handled, subscription } = await collect('deadletter', name);
      await eventually('7 handled', waitMs, () => handled.length >= 7);
      await eventually('lag 0', waitMs, async () => (await bus.lag('deadletter', name)) === 0);
      await subscription.stop();
      await bus.publish('deadletter', deadLetters(key, 8, 10));
      await eventually(
        'lag 3 after publishing',
        waitMs,
        async () => (await bus.lag('deadletter', name)) === 3,
      );
      expect(await bus.lag('deadletter', group('other'))).toBe(10);
      expect(await bus.lag('records', name)).toBe(0);
    });

    it('wakes a waiting consumer promptly when a message is published', { timeout }, async () => {
      const key = `wake-${run}`;
      const arrivals: number[] = [];
      await collect('deadletter', group('wake'), (batch) => {
        for (let i = 0; i < batch.length; i++) arrivals.push(Date.now());
        return Promise.resolve();
      });
      // Let the consumer reach its idle wait first.
      await sleep(500);
      const latencies: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const sent = Date.now();
        await bus.publish('deadletter', deadLetters(key, i, i));
        await eventually(`message ${i}`, waitMs, () => arrivals.length >= i);
        latencies.push(arrivals[i - 1]! - sent);
      }
      expect(Math.max(...latencies)).toBeLessThan(1000);
    });

    it(
      'close stops every subscription and makes publishing fail; closing twice is harmless',
      { timeout },
      async () => {
        const key = `close-${run}`;
        const { handled } = await collect('deadletter', group('close'));
        await bus.publish('deadletter', deadLetters(key, 1, 2));
        await eventually('2 handled', waitMs, () => handled.length >= 2);
        await bus.close();
        await expect(bus.publish('deadletter', deadLetters(key, 3, 3))).rejects.toThrow();
        await bus.close();
        expect(handled.map((m) => m.value.version)).toEqual([1, 2]);
      },
    );
  });
}
