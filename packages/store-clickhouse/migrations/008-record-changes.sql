-- Rolling counts (README "Rolling counts"): apply's one insert per batch goes into record_changes (engine Null: it
-- keeps nothing), one signed row per record version: +1 for each new version, -1 for the stored version it
-- replaces. Materialized views fan the insert out: this migration's view writes the +1 rows to records_current
-- exactly as apply wrote them before (same columns, same engine, same reads); the rolling views, whose SELECT the
-- groupings of the code decide, are created by the store per groupings fingerprint (rolling_cells_<fp>,
-- rolling_person_refs_<fp>), not by a numbered migration. rolling_state: one row per completed build of a
-- fingerprint's rolling tables; reads use the tables only when their fingerprint has one.
CREATE TABLE IF NOT EXISTS record_changes (
  sign Int8,
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
) ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS record_changes_to_records_current TO records_current AS
SELECT provider_id, record_id, version, withdrawn, provider_type, kind, reference_date, date_precision,
  period_start, period_end, person_key, record_key, status, sex, age_group, citizenship, exploitation,
  region_of_identification, region_of_exploitation, country_of_recruitment, organised_crime, assistance,
  reflection_period, residence_permit, means_of_control, recruiter_relationship, labour_sector, outcome, age_class,
  mapping_version, taxonomy_version, received_at
FROM record_changes WHERE sign = 1;

CREATE TABLE IF NOT EXISTS rolling_state (
  fingerprint String,
  completed_at Int64
) ENGINE = MergeTree
ORDER BY (fingerprint, completed_at);
