/**
 * The end-to-end suite on the embedded runtime: `startStandalone` in this process, on a fresh temporary data folder
 * and a free port, with its logs captured to a file so the leak check can search them with the data folder.
 */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@mosy/http';
import { startStandalone } from '@mosy/standalone';
import { runPipelineSuite } from './pipeline.suite.js';

runPipelineSuite({
  name: 'embedded',
  async start() {
    const root = mkdtempSync(join(tmpdir(), 'mosy-e2e-embedded-'));
    const dataDir = join(root, 'data');
    const logFile = join(root, 'mosy.log');
    const logStream = createWriteStream(logFile);
    const adminToken = `e2e-admin-${Date.now()}`;
    const app = await startStandalone({
      dataDir,
      port: 0,
      adminToken,
      pseudonymSecret: 'e2e-pseudonym-secret-of-at-least-32-bytes',
      logger: createLogger({ name: 'mosy', level: 'debug', destination: logStream }),
      // The suite reads every indicator at full speed with one key; the rate limit has its own unit test.
      hardening: { rateLimitPerMinute: 1_000_000 },
    });
    return {
      url: app.url,
      adminToken,
      artifacts: [dataDir, logFile],
      async stop() {
        await app.close();
        await new Promise<void>((resolve) => logStream.end(resolve));
      },
    };
  },
});
