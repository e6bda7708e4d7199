-- The intake ledger, in its own database file: the highest accepted version per record, submission receipts (JSON
-- text), data-quality counts summed per (provider, kind, field, value), and the highest dead-lettered version per
-- record. The same tables as the store file's migrations 003 and 007, which held them before they moved here.
CREATE TABLE accepted_versions (
  provider_id VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (provider_id, record_id)
);

CREATE TABLE submission_receipts (
  provider_id VARCHAR NOT NULL,
  submission_id VARCHAR NOT NULL,
  received_at BIGINT NOT NULL,
  receipt VARCHAR NOT NULL,
  PRIMARY KEY (provider_id, submission_id)
);

CREATE TABLE quality_counts (
  provider_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  field VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  total BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (provider_id, kind, field, value)
);

CREATE TABLE dead_lettered_versions (
  provider_id VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (provider_id, record_id)
);
