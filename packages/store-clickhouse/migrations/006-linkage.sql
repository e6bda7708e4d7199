-- Fuzzy person linkage (docs/linkage.md), apart from the indicator tables. linkage_encodings: per record its keyed
-- Bloom-filter encoding (hex), the row with the highest seq current (read FINAL), seq giving the linking order, so
-- a restarted linker rebuilds its index; an unlinked record's current row has an empty encoding, and the store
-- deletes the rows it replaced (ALTER … DELETE), so the encoding is erased with its record. person_links: the person
-- key of each record, '' once unlinked; the persons count reads it FINAL. linkage_regroupings: one row per write
-- that re-grouped records.
CREATE TABLE IF NOT EXISTS linkage_encodings (
  provider_id String,
  record_id String,
  version Int64,
  seq Int64,
  encoding String
) ENGINE = ReplacingMergeTree(seq)
ORDER BY (provider_id, record_id);

CREATE TABLE IF NOT EXISTS person_links (
  provider_id String,
  record_id String,
  person_key String,
  link_version Int64
) ENGINE = ReplacingMergeTree(link_version)
ORDER BY (provider_id, record_id);

CREATE TABLE IF NOT EXISTS linkage_regroupings (
  recorded_at Int64,
  merges Int64,
  revised_records Int64
) ENGINE = MergeTree
ORDER BY recorded_at;
