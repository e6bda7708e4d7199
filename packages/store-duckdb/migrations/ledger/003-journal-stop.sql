-- Where the embedded runtime's ledger journal ended when it was last stopped cleanly, with every entry applied (the
-- position equals journal_position's). Written by the clean stop, deleted at the next start before anything is
-- appended: while it is here, no entry acknowledged past that position can exist, so a journal folder found
-- missing or empty at start lost nothing. One row, or none.
CREATE TABLE journal_stop (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  position BIGINT NOT NULL
);
