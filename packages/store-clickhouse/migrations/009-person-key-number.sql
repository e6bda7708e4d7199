-- The person key number of every current record (`personKeyNumber` of @mosy/core: the first 4 bytes of SHA-256 of
-- person_key, big-endian), computed once when a row is written rather than by every persons query that counts
-- persons by their own keys (the ad-hoc queries, `personKeyNumberColumn` of the ClickHouse dialect). MATERIALIZED:
-- never inserted by apply, not in SELECT *; parts written before this migration compute it when read.
-- 18.16 has no ADD COLUMN IF NOT EXISTS: migrate takes "column already exists" for this statement as done. 18.16
-- also makes a materialized view name every column of its target, so the view writing records_current is replaced
-- by one that computes the column. The new view is created before the old one is dropped, so no apply ever writes
-- record_changes without records_current: an apply between the ALTER and the DROP fails in the old view ("Expected
-- column", retriable) and is retried like any failed insert (README, "Rolling counts").
ALTER TABLE records_current ADD COLUMN person_key_number UInt32
  MATERIALIZED reinterpretAsUInt32(reverse(substring(SHA256(person_key), 1, 4)));

CREATE MATERIALIZED VIEW IF NOT EXISTS record_changes_to_records_current_2 TO records_current AS
SELECT provider_id, record_id, version, withdrawn, provider_type, kind, reference_date, date_precision,
  period_start, period_end, person_key, record_key, status, sex, age_group, citizenship, exploitation,
  region_of_identification, region_of_exploitation, country_of_recruitment, organised_crime, assistance,
  reflection_period, residence_permit, means_of_control, recruiter_relationship, labour_sector, outcome, age_class,
  mapping_version, taxonomy_version, received_at,
  reinterpretAsUInt32(reverse(substring(SHA256(person_key), 1, 4))) AS person_key_number
FROM record_changes WHERE sign = 1;

DROP TABLE IF EXISTS record_changes_to_records_current;
