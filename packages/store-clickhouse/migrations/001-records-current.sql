-- The current state of every record: rows of (provider_id, record_id, version), merged by ReplacingMergeTree to the
-- highest version per key and read FINAL, so duplicates left by replays or by not-yet-merged parts never count. A
-- withdrawal is a row too (withdrawn = 1, with its version), so a late lower version cannot bring the record back.
-- Columns mirror RECORD_COLUMNS in @mosy/sql (a test compares the two). No PARTITION BY: every version of a key
-- must land in the same part set for FINAL to collapse them.
CREATE TABLE IF NOT EXISTS records_current (
  provider_id String,
  record_id String,
  version Int64,
  withdrawn UInt8,
  provider_type String,
  kind String,
  reference_date String,
  date_precision String,
  period_start Date,
  period_end Date,
  person_key String,
  record_key Int64,
  status String,
  sex String,
  age_group String,
  citizenship Array(String),
  exploitation Array(String),
  region_of_identification String,
  region_of_exploitation String,
  country_of_recruitment String,
  organised_crime String,
  assistance String,
  reflection_period String,
  residence_permit String,
  means_of_control Array(String),
  recruiter_relationship Array(String),
  labour_sector String,
  outcome String,
  age_class String,
  mapping_version Int64,
  taxonomy_version String,
  received_at Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (provider_id, record_id);
