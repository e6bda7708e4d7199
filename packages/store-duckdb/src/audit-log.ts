/**
 * The DuckDB `AuditLog`: one row per audited read in `audit_log`, appended through the audit log's own writer
 * connection (so an audited read never waits for a bulk apply), an entry durable (WAL) when `record` resolves. A
 * sequence orders entries of the same millisecond.
 */
import type { AuditLog } from '@mosy/core';
import { AUDIT_COLUMNS, toAuditEntry } from '@mosy/sql';
import type { DuckDbDatabase } from './database.js';

/** An audit log over an open database (the caller runs the migrations). */
export function createAuditLogOn(database: DuckDbDatabase): AuditLog {
  return {
    record(entry) {
      return database.writeAudit(async (connection) => {
        await connection.run(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
          entry.at,
          entry.keyId,
          entry.role,
          entry.action,
          entry.resource,
          entry.query,
        ]);
      });
    },

    list(options = {}) {
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT ${AUDIT_COLUMNS} FROM audit_log
             WHERE recorded_at >= $1 ORDER BY recorded_at DESC, seq DESC LIMIT $2`,
            [options.since ?? 0, options.limit ?? 1000],
          )
        ).getRowObjectsJS();
        return rows.map(toAuditEntry);
      });
    },
  };
}
