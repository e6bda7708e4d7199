-- The report archive: every version of the quarterly report (period + revision), its artefacts and its
-- publication, inserted once and never changed.
CREATE TABLE report_versions (
  period VARCHAR NOT NULL,
  revision INTEGER NOT NULL,
  built_at BIGINT NOT NULL,
  built_by VARCHAR NOT NULL,
  PRIMARY KEY (period, revision)
);
CREATE TABLE report_artefacts (
  period VARCHAR NOT NULL,
  revision INTEGER NOT NULL,
  format VARCHAR NOT NULL,
  media_type VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  content VARCHAR NOT NULL,
  PRIMARY KEY (period, revision, format)
);
CREATE TABLE report_publications (
  period VARCHAR NOT NULL,
  revision INTEGER NOT NULL,
  published_at BIGINT NOT NULL,
  published_by VARCHAR NOT NULL,
  PRIMARY KEY (period, revision)
);
