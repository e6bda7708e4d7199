-- The audit log: every read of unprotected values, appended as rows and never changed. `seq` (microseconds with a
-- per-process counter) orders entries of the same millisecond.
CREATE TABLE IF NOT EXISTS audit_log (
  recorded_at Int64,
  seq Int64,
  key_id String,
  role String,
  action String,
  resource String,
  query String
) ENGINE = MergeTree
ORDER BY (recorded_at, seq);
