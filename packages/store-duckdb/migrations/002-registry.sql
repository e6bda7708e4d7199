-- The registry: providers, every version of their mappings (JSON text), and API keys (SHA-256 of the key only).
CREATE TABLE providers (
  id VARCHAR PRIMARY KEY,
  type VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  mapping_version INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE provider_mappings (
  provider_id VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  document VARCHAR NOT NULL,
  PRIMARY KEY (provider_id, version)
);

CREATE TABLE api_keys (
  id VARCHAR PRIMARY KEY,
  hash VARCHAR NOT NULL UNIQUE,
  role VARCHAR NOT NULL,
  provider_id VARCHAR,
  label VARCHAR,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
