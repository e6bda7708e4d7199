-- Rolling counts of the indicator catalogue (rolling/ in @mosy/core), kept by apply in the same transaction as
-- records_current, at the finest grain only: quarters, years, all providers and coarser NUTS levels are rolled up
-- when read. Both tables take each batch's changes as appended rows and are compacted now and then, so a key may
-- have several rows: its values are their sums. rolling_cells: per finest cell (grouping, month label, provider,
-- codes k0 and k1) the records and the persons without identity (r:, one record each) and their key sums (modulo
-- 2^32 when read). rolling_refs: per finest cell and person with an identity (p:), how many of that person's current
-- records lie in it. rolling_state: the fingerprint of the groupings the tables were built for and their sizes at
-- the last compaction (no row until the first build; migrate builds them from records_current).
CREATE TABLE rolling_cells (
  grouping_index INTEGER NOT NULL,
  month VARCHAR NOT NULL,
  provider_id VARCHAR NOT NULL,
  k0 VARCHAR NOT NULL,
  k1 VARCHAR NOT NULL,
  records BIGINT NOT NULL,
  record_key_sum BIGINT NOT NULL,
  persons BIGINT NOT NULL,
  person_key_sum BIGINT NOT NULL
);
CREATE TABLE rolling_refs (
  grouping_index INTEGER NOT NULL,
  month VARCHAR NOT NULL,
  provider_id VARCHAR NOT NULL,
  k0 VARCHAR NOT NULL,
  k1 VARCHAR NOT NULL,
  person_key VARCHAR NOT NULL,
  refs BIGINT NOT NULL
);
CREATE TABLE rolling_state (
  fingerprint VARCHAR NOT NULL,
  cells_compacted BIGINT NOT NULL,
  refs_compacted BIGINT NOT NULL
);
