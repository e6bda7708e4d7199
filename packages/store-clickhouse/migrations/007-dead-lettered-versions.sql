-- The highest version of each record the normalizer dead-lettered (rows only ever added; reads take max(version)):
-- such a version never reaches records_current, so the providers' backlog leaves it out.
CREATE TABLE IF NOT EXISTS dead_lettered_versions (
  provider_id String,
  record_id String,
  version Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (provider_id, record_id);
