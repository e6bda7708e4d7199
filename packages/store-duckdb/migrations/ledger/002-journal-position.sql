-- How far the embedded runtime's ledger journal has been applied to these tables: the position of the first entry
-- not yet applied. Written in the same transaction as the entries it covers, so replaying the journal after a crash
-- applies each entry exactly once (quality counts are sums). One row, or none before the first entry.
CREATE TABLE journal_position (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  position BIGINT NOT NULL
);
