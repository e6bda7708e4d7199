/** The EventBus contract against the real broker and schema registry, each test on topics of its own. */
import { runEventBusContract } from '@mosy/testkit';
import { createTestBus } from './test-support.js';

runEventBusContract({ create: (hooks) => createTestBus(hooks) });
