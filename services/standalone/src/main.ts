/**
 * `npm start`: the embedded runtime on a data folder under the repository (MOSY_DATA_DIR and PORT override it).
 * On an empty store it loads the synthetic demo dataset (MOSY_DEMO=0 skips it) and prints the URL, the demo keys
 * and two curl lines that work.
 */
import { configOrExit, createLogger } from '@mosy/http';
import { loadConfig } from './config.js';
import { loadDemoIfEmpty, type DemoKeys } from './demo.js';
import { startStandalone } from './standalone.js';
import { spatialTables } from './spatial-tables.js';

const config = configOrExit(() => loadConfig(), 'mosy');
const logger = createLogger({ name: 'mosy', level: config.logLevel });
const spatial = configOrExit(() => spatialTables(config.spatial, config.demo), 'mosy');
const app = await startStandalone({
  dataDir: config.dataDir,
  port: config.port,
  host: config.host,
  ...(config.adminToken === undefined ? {} : { adminToken: config.adminToken }),
  ...(config.pseudonymSecret === undefined ? {} : { pseudonymSecret: config.pseudonymSecret }),
  ...(config.geoDir === undefined ? {} : { geoDir: config.geoDir }),
  logConsumedRetentionMs: config.logConsumedRetentionMs,
  ...(config.duckDbMemoryLimit === undefined ? {} : { duckDbMemoryLimit: config.duckDbMemoryLimit }),
  linkage: config.linkage,
  report: config.report,
  spatial,
  quarterly: config.quarterly,
  hub: config.hub,
  hardening: config.hardening,
  logger,
});
const demo = config.demo ? await loadDemoIfEmpty(app, config.dataDir) : undefined;
process.stdout.write(
  banner(app.url, config.dataDir, app.adminTokenCreated ? app.adminToken : undefined, demo),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

function banner(
  url: string,
  dataDir: string,
  newAdminToken: string | undefined,
  keys: DemoKeys | undefined,
): string {
  const lines = ['', `MoSy is running at ${url}  (data: ${dataDir})`];
  if (newAdminToken !== undefined) {
    lines.push(`Admin token (shown once; also set MOSY_ADMIN_TOKEN to choose your own): ${newAdminToken}`);
  }
  if (keys !== undefined) {
    lines.push(
      '',
      '*** SYNTHETIC DEMO DATA: every provider, record and person here is invented. ***',
      `Demo keys (synthetic demo only; kept in ${dataDir}/demo-keys.json):`,
      `  analyst     ${keys.analyst}`,
      `  coordinator ${keys.coordinator}`,
      `  provider    ${keys.provider.key}  (${keys.provider.id})`,
      '',
      'Registered victims by sex and year:',
      `  curl -s -H "Authorization: Bearer ${keys.analyst}" "${url}/v1/indicators/victims/values?by=sex&interval=year"`,
      'Submit one more (synthetic) record as the demo provider:',
      `  curl -s -X POST -H "Authorization: Bearer ${keys.provider.key}" -H "Content-Type: application/json" \\`,
      `    -d '${JSON.stringify({ records: [keys.provider.sampleRecord] })}' ${url}/v1/submissions`,
    );
  }
  lines.push('', 'Press Ctrl+C to stop.', '');
  return lines.join('\n');
}
