-- The highest version of each record the normalizer dead-lettered: such a version never reaches records_current,
-- so the providers' backlog leaves it out.
CREATE TABLE dead_lettered_versions (
  provider_id VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (provider_id, record_id)
);
