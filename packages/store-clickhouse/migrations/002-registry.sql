-- The registry: providers, every version of their mappings (JSON text), and API keys (SHA-256 of the key only).
-- ClickHouse has no unique keys or transactions: each table is a ReplacingMergeTree whose version column rises with
-- every change of a row, and reads take the highest version per key, so a repeated write is harmless. The
-- admin API checks "exists already" before writing (one admin API instance; see the README).

-- One row per provider and mapping version it was switched to; the highest mapping_version is current.
CREATE TABLE IF NOT EXISTS providers (
  id String,
  type String,
  name String,
  mapping_version Int64,
  created_at Int64
) ENGINE = ReplacingMergeTree(mapping_version)
ORDER BY id;

-- One row per mapping version, never replaced.
CREATE TABLE IF NOT EXISTS provider_mappings (
  provider_id String,
  version Int64,
  document String
) ENGINE = ReplacingMergeTree()
ORDER BY (provider_id, version);

-- revision 0 when created, 1 once revoked.
CREATE TABLE IF NOT EXISTS api_keys (
  id String,
  hash String,
  role String,
  provider_id Nullable(String),
  label Nullable(String),
  created_at Int64,
  revoked_at Nullable(Int64),
  revision UInt8
) ENGINE = ReplacingMergeTree(revision)
ORDER BY id;
