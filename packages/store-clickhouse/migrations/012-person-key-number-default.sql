-- The person key number (migration 009) becomes a DEFAULT column. The view writing records_current names it, as
-- 18.16 requires of a view (every column of its target), but current ClickHouse inserts what a view returns with
-- MATERIALIZED columns refused ("Cannot insert column person_key_number, because it is MATERIALIZED column": the
-- view's insert is built with allow_materialized off), so every apply would fail there. A DEFAULT column is an
-- ordinary one that a view may write on both; rows keep their stored numbers, and parts written before migration 009
-- still compute it when read. It now appears in SELECT *, which no statement of the store runs on this table.
-- Idempotent: modifying a column to what it already is changes nothing.
ALTER TABLE records_current MODIFY COLUMN person_key_number UInt32
  DEFAULT reinterpretAsUInt32(reverse(substring(SHA256(person_key), 1, 4)));
