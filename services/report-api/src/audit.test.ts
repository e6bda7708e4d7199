import { runAuditLogContract } from '@mosy/testkit';
import { createMemoryAuditLog } from './audit.js';

runAuditLogContract({
  create: () => Promise.resolve({ audit: createMemoryAuditLog(), close: () => Promise.resolve() }),
});
