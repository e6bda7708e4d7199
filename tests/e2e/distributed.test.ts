/**
 * The same end-to-end suite as the embedded runtime, on the distributed runtime: four service processes on real
 * Kafka, the Apicurio schema registry and ClickHouse (started by deploy/local). Same dataset, same queries, same
 * exact numbers.
 */
import { startDistributed } from './lib/distributed.js';
import { runPipelineSuite } from './pipeline.suite.js';

runPipelineSuite({
  name: 'distributed',
  async start() {
    const system = await startDistributed();
    return {
      url: system.url,
      adminToken: system.adminToken,
      artifacts: system.artifacts,
      stop: () => system.stop(),
    };
  },
});
