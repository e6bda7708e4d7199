// The DuckDB adapters against the shared contract suites, each test on a fresh in-memory database.
import {
  runAuditLogContract,
  runIndicatorStoreContract,
  runIntakeLedgerContract,
  runLinkageStoreContract,
  runProviderBacklogContract,
  runRegistryContract,
  runReportArchiveContract,
} from '@mosy/testkit';
import { createDuckDbStores } from './duckdb-stores.js';

const create = async () => {
  const stores = await createDuckDbStores({ path: ':memory:', readers: 1, config: { threads: '1' } });
  return { ...stores, close: () => stores.close() };
};

runIndicatorStoreContract({ create, keySums: true, timeliness: true });
runRegistryContract({ create });
runIntakeLedgerContract({ create });
runProviderBacklogContract({ create });
runAuditLogContract({ create });
runReportArchiveContract({ create });
runLinkageStoreContract({ create });
