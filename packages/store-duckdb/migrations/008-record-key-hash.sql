-- A 64-bit hash of each record's key (provider_id, record_id), so that apply finds the stored versions of a batch's
-- keys by one integer column before comparing the two strings: a one-record apply at 1,000,000 records took 22 ms
-- joining on the strings and 1.3 ms with the hash (the scan compares integers, and the join's key filter prunes).
-- MD5 (its upper 64 bits) rather than DuckDB's hash(): stored values must mean the same under every later DuckDB.
-- The strings are still compared, so a collision costs time, never a wrong match.
ALTER TABLE records_current ADD COLUMN key_hash UBIGINT;
UPDATE records_current SET key_hash = md5_number_upper(provider_id || '/' || record_id);
