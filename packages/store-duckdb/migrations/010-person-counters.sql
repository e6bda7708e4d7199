-- Person counters (rolling/person-counters.ts in @mosy/core): per (grouping, grain, period, k0, k1) over all providers,
-- the distinct persons with an identity (p:) whose current records lie in it and the sum of their key numbers, for
-- the grains the catalogue reads by (month, quarter, year; all for all time, period ''). Kept by apply in the same
-- transaction as records_current, from the stored records of the persons each batch touches, as appended deltas
-- compacted now and then (a counter's values are the sums of its rows). records_current.person_key_number is
-- personKeyNumber(person_key), stored so that apply finds a person's records by an integer first and reads sum key
-- numbers without hashing. rolling_state.counters_compacted: rows at the last compaction. Emptying rolling_state
-- makes migrate rebuild every rolling table, counters included, from the current records.
ALTER TABLE records_current ADD COLUMN person_key_number BIGINT;
UPDATE records_current SET person_key_number = CAST(concat('0x', substring(sha256(person_key), 1, 8)) AS BIGINT);
CREATE TABLE person_counters (
  grouping_index INTEGER NOT NULL,
  grain VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  k0 VARCHAR NOT NULL,
  k1 VARCHAR NOT NULL,
  persons BIGINT NOT NULL,
  person_key_sum BIGINT NOT NULL
);
ALTER TABLE rolling_state ADD COLUMN counters_compacted BIGINT DEFAULT 0;
DELETE FROM rolling_state;
