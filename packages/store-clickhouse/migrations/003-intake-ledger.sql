-- The intake ledger: the highest accepted version per record (rows only ever added; reads take max(version)),
-- submission receipts (JSON text; the highest revision per submission is current), and data-quality events as
-- rows, summed per (provider, kind, field, value) at read time.
CREATE TABLE IF NOT EXISTS accepted_versions (
  provider_id String,
  record_id String,
  version Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (provider_id, record_id);

CREATE TABLE IF NOT EXISTS submission_receipts (
  provider_id String,
  submission_id String,
  received_at Int64,
  revision Int64,
  receipt String
) ENGINE = ReplacingMergeTree(revision)
ORDER BY (provider_id, submission_id);

CREATE TABLE IF NOT EXISTS quality_events (
  provider_id String,
  kind String,
  field String,
  value String,
  count Int64,
  seen_at Int64
) ENGINE = MergeTree()
ORDER BY (provider_id, kind, field, value);
