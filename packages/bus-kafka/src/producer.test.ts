import { describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { resolveConfig } from './options.js';
import { chunkBySize, connectPublisher } from './producer.js';
import type { EncodedMessage } from './producer.js';

// Each message: key 1 byte + value 67 bytes + 32 bytes of record overhead = 100 bytes; a chunk starts at 128.
const message = (n: number): EncodedMessage => ({ key: String(n % 10), value: Buffer.alloc(67, n) });

describe('chunkBySize', () => {
  it('keeps a publish that fits in one chunk', () => {
    const messages = Array.from({ length: 8 }, (_, i) => message(i));
    expect(chunkBySize(messages, 128 + 800)).toEqual([messages]);
  });

  it('splits in order at the size limit', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i));
    const chunks = chunkBySize(messages, 128 + 400);
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('gives a message larger than the limit a chunk of its own', () => {
    const big = { key: 'big', value: Buffer.alloc(5000) };
    const chunks = chunkBySize([message(1), big, message(2)], 1000);
    expect(chunks.map((c) => c.map((m) => m.key))).toEqual([['1'], ['big'], ['2']]);
  });

  it('sends nothing for no messages', () => {
    expect(chunkBySize([], 1000)).toEqual([]);
  });
});

interface FakeProducer {
  readonly id: number;
  readonly sent: { topic: string; keys: string[] }[];
  connected: boolean;
}

/** A kafkajs stand-in whose producers record their sends; `fail(n)` makes the n-th send (from 1) throw. */
function fakeKafka(fail: (n: number) => Error | undefined = () => undefined) {
  const producers: FakeProducer[] = [];
  const log: string[] = [];
  let sends = 0;
  const kafka = {
    producer() {
      const state: FakeProducer = { id: producers.length + 1, sent: [], connected: false };
      producers.push(state);
      return {
        connect: () => {
          state.connected = true;
          return Promise.resolve();
        },
        disconnect: () => {
          state.connected = false;
          return Promise.resolve();
        },
        async send({ topic, messages }: { topic: string; messages: EncodedMessage[] }) {
          const n = ++sends;
          log.push(`start ${n}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          log.push(`end ${n}`);
          const error = fail(n);
          if (error) throw error;
          state.sent.push({ topic, keys: messages.map((m) => m.key) });
          return [];
        },
      };
    },
  };
  return { kafka: kafka as unknown as Kafka, producers, log };
}

const config = resolveConfig({ brokers: ['b:9092'], clientId: 'c', registryUrl: 'http://r' });
const encoded = (...keys: string[]): EncodedMessage[] =>
  keys.map((key) => ({ key, value: Buffer.from(key) }));

describe('connectPublisher', () => {
  it('sends publishes one after the other in call order, those that waited together when they fit', async () => {
    const { kafka, producers, log } = fakeKafka();
    const publisher = await connectPublisher(kafka, config);
    await Promise.all([
      publisher.send('t', encoded('a')),
      publisher.send('t', encoded('b')),
      publisher.send('t', encoded('c', 'd')),
      publisher.send('u', encoded('e')),
    ]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(producers[0]!.sent).toEqual([
      { topic: 't', keys: ['a'] },
      { topic: 't', keys: ['b', 'c', 'd'] },
      { topic: 'u', keys: ['e'] },
    ]);
  });

  it('does not group publishes past the request size, and rejects every publish of a failed request', async () => {
    const { kafka, producers } = fakeKafka((n) => (n === 2 ? new Error('boom') : undefined));
    const small = resolveConfig({
      brokers: ['b:9092'],
      clientId: 'c',
      registryUrl: 'http://r',
      maxRequestBytes: 400,
    });
    const publisher = await connectPublisher(kafka, small);
    // Each publish of two keys is 128 + 2 * (2 + 2 + 32) = 200 bytes: two fit in 400, three do not.
    const results = await Promise.allSettled([
      publisher.send('t', encoded('a1', 'a2')),
      publisher.send('t', encoded('b1', 'b2')),
      publisher.send('t', encoded('c1', 'c2')),
      publisher.send('t', encoded('d1', 'd2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(producers[0]!.sent.map((s) => s.keys)).toEqual([
      ['a1', 'a2'],
      ['d1', 'd2'],
    ]);
  });

  it('replaces a producer whose sequence the broker refuses and sends the chunk again', async () => {
    const outOfOrder = Object.assign(new Error('The broker received an out of order sequence number'), {
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    const { kafka, producers } = fakeKafka((n) => (n === 2 ? outOfOrder : undefined));
    const publisher = await connectPublisher(kafka, config);
    await publisher.send('t', encoded('a'));
    await publisher.send('t', encoded('b'));
    expect(producers.map((p) => [p.id, p.connected, p.sent.map((s) => s.keys)])).toEqual([
      [1, false, [['a']]],
      [2, true, [['b']]],
    ]);
  });

  it('rejects with a MosyError when the new producer is refused too, and keeps serving later publishes', async () => {
    const outOfOrder = Object.assign(new Error('out of order'), { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    const { kafka, producers } = fakeKafka((n) => (n === 1 || n === 2 ? outOfOrder : undefined));
    const publisher = await connectPublisher(kafka, config);
    await expect(publisher.send('t', encoded('a'))).rejects.toMatchObject({
      name: 'MosyError',
      message: 'publishing 1 messages to t failed: out of order',
    });
    await publisher.send('t', encoded('b'));
    expect(producers.map((p) => p.sent.map((s) => s.keys))).toEqual([[], [['b']]]);
  });

  it('does not retry any other failure', async () => {
    const { kafka, producers } = fakeKafka(() =>
      Object.assign(new Error('leader moved'), { retriable: true }),
    );
    const publisher = await connectPublisher(kafka, config);
    await expect(publisher.send('t', encoded('a'))).rejects.toMatchObject({
      code: 'unavailable',
      retriable: true,
    });
    expect(producers).toHaveLength(1);
  });
});

describe('connectPublisher against a broker that does not answer', () => {
  /** A kafkajs stand-in whose sends wait until `release` is called (a broker that is down, kafkajs retrying). */
  function stuckKafka() {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: string[][] = [];
    const kafka = {
      producer: () => ({
        connect: () => Promise.resolve(),
        disconnect: () => Promise.resolve(),
        async send({ messages }: { messages: EncodedMessage[] }) {
          await gate;
          sent.push(messages.map((m) => m.key));
          return [];
        },
      }),
    };
    return { kafka: kafka as unknown as Kafka, sent, release: () => release() };
  }

  const bounded = resolveConfig({
    brokers: ['b:9092'],
    clientId: 'c',
    registryUrl: 'http://r',
    publishTimeoutMs: 50,
    maxQueuedBytes: 500,
  });

  it('rejects a publish that is not acknowledged in time with a retriable unavailable, and never sends one that was still queued', async () => {
    const { kafka, sent, release } = stuckKafka();
    const publisher = await connectPublisher(kafka, bounded);
    const inFlight = publisher.send('t', encoded('a'));
    const queued = publisher.send('t', encoded('b'));
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable', retriable: true });
    await expect(queued).rejects.toMatchObject({ code: 'unavailable', retriable: true });
    expect(publisher.queuedBytes()).toBe(0);
    release();
    await publisher.send('t', encoded('c'));
    expect(sent).toEqual([['a'], ['c']]);
  });

  it('refuses at once a publish that would queue more than maxQueuedBytes behind the one in flight', async () => {
    const { kafka, release } = stuckKafka();
    const publisher = await connectPublisher(kafka, { ...bounded, publishTimeoutMs: 60_000 });
    // 128 + 2 * (2 + 2 + 32) = 200 bytes each: the first is in flight, two more fit in 500 bytes, the fourth not.
    const first = publisher.send('t', encoded('a1', 'a2'));
    const second = publisher.send('t', encoded('b1', 'b2'));
    const third = publisher.send('t', encoded('c1', 'c2'));
    const started = Date.now();
    await expect(publisher.send('t', encoded('d1', 'd2'))).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/not keeping up: 400 bytes/),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(publisher.queuedBytes()).toBe(400);
    release();
    await Promise.all([first, second, third]);
    expect(publisher.queuedBytes()).toBe(0);
  });
});
