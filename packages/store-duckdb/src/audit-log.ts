/**
 * The DuckDB `AuditLog`: one row per audited read in `audit_log`, appended through the audit log's own writer
 * connection (so an audited read never waits for a bulk apply), an entry durable (WAL) when `record` resolves. A
 * sequence orders entries of the same millisecond. With a ledger file, the table is in that file (ledger migration
 * 004): a checkpoint of the store file holds every write to that file until it ends, and an unprotected read's
 * answer with it.
 */
import type { AuditLog } from '@mosy/core';
import { AUDIT_COLUMNS, toAuditEntry } from '@mosy/sql';
import { LEDGER_CATALOG, type DuckDbDatabase } from './database.js';

/** An audit log over an open database (the caller runs the migrations). */
export function createAuditLogOn(database: DuckDbDatabase): AuditLog {
  const table = database.hasLedger ? `${LEDGER_CATALOG}.audit_log` : 'audit_log';
  return {
    record(entry) {
      return database.writeAudit(async (connection) => {
        await connection.run(`INSERT INTO ${table} (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
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
            `SELECT ${AUDIT_COLUMNS} FROM ${table}
             WHERE recorded_at >= $1 ORDER BY recorded_at DESC, seq DESC LIMIT $2`,
            [options.since ?? 0, options.limit ?? 1000],
          )
        ).getRowObjectsJS();
        return rows.map(toAuditEntry);
      });
    },
  };
}
