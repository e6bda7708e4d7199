-- The audit log (store migration 004's table, moved here): every read of unprotected values, appended and never
-- changed. In this file rather than the store's because a checkpoint of the store file holds every write to it for
-- its whole length (0.6–2.8 s under the bench's freshness load), and an unprotected read is answered only once its
-- entry is written. `seq` orders entries recorded in the same millisecond.
CREATE SEQUENCE audit_log_seq;
CREATE TABLE audit_log (
  seq BIGINT NOT NULL DEFAULT nextval('audit_log_seq'),
  recorded_at BIGINT NOT NULL,
  key_id VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  resource VARCHAR NOT NULL,
  query VARCHAR NOT NULL
);
