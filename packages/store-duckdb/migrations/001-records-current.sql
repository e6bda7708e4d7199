-- The current state of every record: one row per (provider_id, record_id) holding its highest version. A withdrawal
-- keeps its row (withdrawn = true, with its version) so that a late lower version cannot bring the record back.
-- Columns mirror RECORD_COLUMNS in @mosy/sql (a test compares the two). The key is kept unique by the store's
-- single writer (update matching keys, insert the others, in one transaction), not by a PRIMARY KEY: DuckDB's ART
-- index made every batch several times slower to apply and is of no use to the scans that answer queries.
CREATE TABLE records_current (
  provider_id VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  withdrawn BOOLEAN NOT NULL,
  provider_type VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  reference_date VARCHAR NOT NULL,
  date_precision VARCHAR NOT NULL,
  period_start DATE NOT NULL,
  period_end DATE NOT NULL,
  person_key VARCHAR NOT NULL,
  record_key BIGINT NOT NULL,
  status VARCHAR NOT NULL,
  sex VARCHAR NOT NULL,
  age_group VARCHAR NOT NULL,
  citizenship VARCHAR[] NOT NULL,
  exploitation VARCHAR[] NOT NULL,
  region_of_identification VARCHAR NOT NULL,
  region_of_exploitation VARCHAR NOT NULL,
  country_of_recruitment VARCHAR NOT NULL,
  organised_crime VARCHAR NOT NULL,
  assistance VARCHAR NOT NULL,
  reflection_period VARCHAR NOT NULL,
  residence_permit VARCHAR NOT NULL,
  means_of_control VARCHAR[] NOT NULL,
  recruiter_relationship VARCHAR[] NOT NULL,
  labour_sector VARCHAR NOT NULL,
  outcome VARCHAR NOT NULL,
  age_class VARCHAR NOT NULL,
  mapping_version BIGINT NOT NULL,
  taxonomy_version VARCHAR NOT NULL,
  received_at BIGINT NOT NULL
);
