-- The report archive: every version of the quarterly report (period + revision) as its artefacts, one row each,
-- and its publications, appended and never changed. Concurrent puts of one version may both insert; the rows of
-- the build with the least (stored_at, build_id) are the version every reader sees, and likewise the first
-- publication is the one that counts.
CREATE TABLE IF NOT EXISTS report_artefacts (
  period String,
  revision UInt32,
  build_id String,
  stored_at Int64,
  built_at Int64,
  built_by String,
  format String,
  media_type String,
  sha256 String,
  content String
) ENGINE = MergeTree
ORDER BY (period, revision, stored_at, build_id, format);
CREATE TABLE IF NOT EXISTS report_publications (
  period String,
  revision UInt32,
  published_at Int64,
  seq Int64,
  published_by String
) ENGINE = MergeTree
ORDER BY (period, revision, published_at, seq);
