/**
 * A child process for the crash test: publishes and consumes on a bus in the folder given as its argument, and
 * reports on stdout each publish that resolved and each batch it handled, until the test kills it with SIGKILL.
 * Stdout to a pipe is synchronous on Linux, so every reported line was written before the next step began.
 */
import { buildDeadLetter } from '@mosy/testkit';
import { createMemoryEventBus } from './index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash.fixture.ts <dir>');
const bus = await createMemoryEventBus({ dir, onError: () => undefined });
await bus.consume(
  'deadletter',
  'g',
  (batch) => {
    const first = Number(batch[0]?.position);
    process.stdout.write(`handled ${first} ${first + batch.length}\n`);
    return Promise.resolve();
  },
  { maxBatch: 50 },
);
let published = bus.stats('deadletter').endOffset;
process.stdout.write(`ready ${published}\n`);
for (;;) {
  const messages = Array.from({ length: 20 }, (_, i) => ({
    key: `k${i % 3}`,
    value: buildDeadLetter({ version: published + i + 1 }),
  }));
  await bus.publish('deadletter', messages);
  published += messages.length;
  process.stdout.write(`published ${published}\n`);
}
