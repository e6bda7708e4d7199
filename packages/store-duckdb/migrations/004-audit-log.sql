-- The audit log: every read of unprotected values, appended and never changed. `seq` orders entries recorded in
-- the same millisecond.
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
