/**
 * The DuckDB `AuditLog`: one row per audited read in `audit_log`, appended through the single writer, so an entry
 * is durable (WAL) when `record` resolves. A sequence orders entries of the same millisecond.
 */
import type { AuditEntry, AuditLog } from '@mosy/core';
import type { DuckDbDatabase } from './database.js';
import { integer, text } from './values.js';

/** An audit log over an open database (the caller runs the migrations). */
export function createAuditLogOn(database: DuckDbDatabase): AuditLog {
  return {
    record(entry) {
      return database.write(async (connection) => {
        await connection.run(
          'INSERT INTO audit_log (recorded_at, key_id, role, action, resource, query) VALUES ($1, $2, $3, $4, $5, $6)',
          [entry.at, entry.keyId, entry.role, entry.action, entry.resource, entry.query],
        );
      });
    },

    list(options = {}) {
      return database.read(async (connection) => {
        const rows = (
          await connection.runAndReadAll(
            `SELECT recorded_at, key_id, role, action, resource, query FROM audit_log
             WHERE recorded_at >= $1 ORDER BY recorded_at DESC, seq DESC LIMIT $2`,
            [options.since ?? 0, options.limit ?? 1000],
          )
        ).getRowObjectsJS();
        return rows.map((row): AuditEntry => ({
          at: integer(row.recorded_at),
          keyId: text(row.key_id),
          role: text(row.role),
          action: text(row.action),
          resource: text(row.resource),
          query: text(row.query),
        }));
      });
    },
  };
}
