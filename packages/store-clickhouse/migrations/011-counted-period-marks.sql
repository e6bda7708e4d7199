-- Period marks that carry their own count (src/person-counters.ts, src/apply-certification.ts): rolling_periods
-- gains marks, the number of begin, end and build marks a period has had, so that an apply can tell whether any
-- other writer marked its periods while it wrote, and certify their counters itself. The count must land in the
-- same row as the mark it counts (ClickHouse writes each view of an insert as its own part, at its own moment), so
-- the marks go through a new Null table whose one view writes both; the old table and its view are dropped first,
-- the table before its view (the other way round, a mark inserted in between would succeed and reach nothing).
-- An aggregator of the code before this migration then fails its begin mark, before it writes anything, and retries
-- until it runs this code: no mark of its is ever left uncounted. (On 18.16, a view whose target gained a column it
-- does not write fails every insert, so the old view could not have stayed anyway.)
DROP TABLE IF EXISTS rolling_period_marks;

DROP TABLE IF EXISTS rolling_period_marks_to_periods;

ALTER TABLE rolling_periods ADD COLUMN marks AggregateFunction(sum, Int64);

CREATE TABLE IF NOT EXISTS rolling_period_marks_counted (
  fingerprint String,
  grain UInt8,
  period String,
  opens Int64,
  marked Int64,
  open_until Int64,
  certified Int64,
  marks Int64
) ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS rolling_period_marks_counted_to_periods TO rolling_periods AS
SELECT fingerprint, grain, period, sumState(opens) AS opens, maxState(marked) AS marked,
  maxState(open_until) AS open_until, maxState(certified) AS certified, sumState(marks) AS marks
FROM rolling_period_marks_counted GROUP BY fingerprint, grain, period;
