/**
 * SASL/PLAIN against the local broker's SASL_PLAINTEXT listener: with the right credentials the bus's admin,
 * producer and consumer all authenticate and messages go round; with a wrong password the start fails at once
 * with a MosyError `unauthenticated`. Neither the password nor anything else secret reaches the logs.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import type { DeliveredMessage, OutgoingMessage, SubmissionMessage, Subscription } from '@mosy/core';
import { buildSubmissionMessage } from '@mosy/testkit';
import { createKafkaEventBus } from './kafka-event-bus.js';
import type { KafkaBusLogger } from './options.js';
import {
  createTestBus,
  deleteTopics,
  randomTopics,
  saslBrokers,
  saslUser,
  testOptions,
} from './test-support.js';

/** A logger keeping every entry, fields and message, as the JSON a log shipper would see. */
function recordingLogger(): { readonly logger: KafkaBusLogger; readonly lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (fields: object, message?: string) =>
    void lines.push(JSON.stringify({ level, ...fields, message }));
  return {
    logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') },
    lines,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('SASL/PLAIN', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it(
    'authenticates admin, producer and consumer, and round-trips messages',
    { timeout: 60_000 },
    async () => {
      const { logger, lines } = recordingLogger();
      const { bus, close } = await createTestBus({
        brokers: saslBrokers,
        sasl: { mechanism: 'plain', ...saslUser },
        logger,
        logLevel: 'debug',
      });
      cleanups.push(close);
      const run = randomUUID().slice(0, 8);
      const messages: OutgoingMessage<SubmissionMessage>[] = [1, 2, 3].map((i) => {
        const value = buildSubmissionMessage({ record: { recordId: `${run}-${i}` } });
        return { key: `${value.providerId}/${value.record.recordId}`, value };
      });

      const received: DeliveredMessage<SubmissionMessage>[] = [];
      const subscription: Subscription = await bus.consume('submissions', `sasl-${run}`, (batch) => {
        received.push(...batch);
        return Promise.resolve();
      });
      cleanups.push(() => subscription.stop());
      await bus.publish('submissions', messages);
      const deadline = Date.now() + 30_000;
      while (received.length < messages.length && Date.now() < deadline) await sleep(50);
      await sleep(500); // nothing beyond the three may arrive

      const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key);
      expect(received.map(({ key, value }) => ({ key, value })).sort(byKey)).toEqual(
        [...messages].sort(byKey),
      );
      // kafkajs logs each authenticated connection; admin, producer and consumer each opened at least one.
      const authenticated = lines.filter((line) => line.includes('SASL PLAIN authentication successful'));
      expect(authenticated.length).toBeGreaterThanOrEqual(3);
      expect(lines.join('\n')).not.toContain(saslUser.password);
    },
  );

  it(
    'refuses to start with a wrong password: unauthenticated, not retriable, fast',
    { timeout: 20_000 },
    async () => {
      const { logger, lines } = recordingLogger();
      const topics = randomTopics();
      cleanups.push(() => deleteTopics(Object.values(topics)));
      const password = `wrong-${randomUUID()}`;
      const started = Date.now();
      const error: unknown = await createKafkaEventBus(
        testOptions(topics, {
          brokers: saslBrokers,
          sasl: { mechanism: 'plain', username: saslUser.username, password },
          logger,
          logLevel: 'debug',
        }),
      ).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(MosyError);
      expect(error).toMatchObject({ code: 'unauthenticated', retriable: false });
      expect((error as Error).message).toBe(
        `connecting to Kafka at ${saslBrokers.join(',')} failed: the brokers refused the SASL authentication ` +
          '(SASL PLAIN authentication failed: Authentication failed: Invalid username or password)',
      );
      // kafkajs gives up on refused credentials at once instead of retrying for about a minute.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect([(error as Error).message, ...lines].join('\n')).not.toContain(password);
    },
  );
});
