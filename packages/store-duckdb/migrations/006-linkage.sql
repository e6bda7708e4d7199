-- Fuzzy person linkage (docs/linkage.md), apart from the indicator tables. linkage_encodings: per linked record its
-- keyed Bloom-filter encoding (hex), in linking order (seq), so a restarted linker rebuilds its index; an unlinked
-- record (withdrawn, or without a name to encode) keeps its row with the version only, the encoding deleted.
-- person_links: the person key of each linked record, which the persons count uses in place of the exact pseudonym;
-- link_version grows with every write of a row. linkage_regroupings: one row per write that re-grouped records.
CREATE TABLE linkage_encodings (
  provider_id VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  encoding VARCHAR
);
CREATE TABLE person_links (
  provider_id VARCHAR NOT NULL,
  record_id VARCHAR NOT NULL,
  person_key VARCHAR NOT NULL,
  link_version BIGINT NOT NULL
);
CREATE TABLE linkage_regroupings (
  recorded_at BIGINT NOT NULL,
  merges BIGINT NOT NULL,
  revised_records BIGINT NOT NULL
);
