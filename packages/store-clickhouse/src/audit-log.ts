/**
 * The ClickHouse `AuditLog`: one row per audited read in `audit_log` (MergeTree, never merged away), inserted
 * through JSONEachRow so no entry text reaches SQL; `record` resolves when the server has acknowledged the insert.
 * `seq` orders entries recorded in the same millisecond by one process.
 */
import type { AuditLog } from '@mosy/core';
import { AUDIT_COLUMNS, toAuditEntry } from '@mosy/sql';
import type { ClickHouseConnection } from './connection.js';

/** An audit log over an open connection (the caller runs the migrations). */
export function createAuditLogOn(connection: ClickHouseConnection): AuditLog {
  let lastSeq = 0;
  const nextSeq = (): number => {
    lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
    return lastSeq;
  };
  return {
    async record(entry) {
      await connection.insert('audit_log', [
        {
          recorded_at: entry.at,
          seq: nextSeq(),
          key_id: entry.keyId,
          role: entry.role,
          action: entry.action,
          resource: entry.resource,
          query: entry.query,
        },
      ]);
    },

    async list(options = {}) {
      const since = Math.trunc(options.since ?? 0);
      const limit = Math.trunc(options.limit ?? 1000);
      if (!Number.isSafeInteger(since) || !Number.isSafeInteger(limit) || limit < 0) return [];
      const rows = await connection.select(
        `SELECT ${AUDIT_COLUMNS} FROM audit_log
         WHERE recorded_at >= ${since} ORDER BY recorded_at DESC, seq DESC LIMIT ${limit}`,
      );
      return rows.map(toAuditEntry);
    },
  };
}
