/**
 * The audit log port: an append-only record of privileged reads — every time a coordinator (or admin) receives
 * unprotected values (contract §5, §6) — and of every refused request for them from another role. The report API
 * writes the entry before it answers, so a read that could not be audited is not served. Entries hold who (key id
 * and role), what (action and resource) and the query asked; never a value of the answer. Adapters live beside the
 * stores and pass `runAuditLogContract`.
 */

/** One audited action. */
export interface AuditEntry {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The API key's id (`bootstrap` for the admin token); never the key itself. */
  readonly keyId: string;
  readonly role: string;
  /** What was done, e.g. `read-unprotected`, or `refused-unprotected` (answered 403). */
  readonly action: string;
  /** The resource read, e.g. `/v1/indicators/victims/values`. */
  readonly resource: string;
  /** The query string as asked (parameters only, no credentials). */
  readonly query: string;
}

export interface AuditLog {
  /** Appends an entry; resolves once it is durable. Entries are never changed or removed. */
  record(entry: AuditEntry): Promise<void>;
  /**
   * Entries with `at >= since` (all when absent), newest first, at most `limit` (default 1000). Entries with the
   * same `at` come in reverse order of recording.
   */
  list(options?: { readonly since?: number; readonly limit?: number }): Promise<readonly AuditEntry[]>;
}
