-- Person counters per period (src/person-counters.ts, README "Rolling counts"): the state of every (grain, period)
-- of a fingerprint's grain references, from which a persons read decides whether the counters of its periods are
-- exact. Writers insert marks into rolling_period_marks (engine Null: it keeps nothing); the view folds them into
-- one row per period of rolling_periods: opens, the applies that began writing the period and have not ended (+1
-- when one begins, -1 when it ends), marked, the latest stamp of a begin or end, open_until, the latest begin's
-- lease, and certified, the latest stamp at which a refresh wrote the period's counters. grain 0 holds one row per
-- fingerprint whose certified is the build the periods were seeded for. The counters tables themselves are created
-- per fingerprint by the store, as the other rolling tables are.
CREATE TABLE IF NOT EXISTS rolling_period_marks (
  fingerprint String,
  grain UInt8,
  period String,
  opens Int64,
  marked Int64,
  open_until Int64,
  certified Int64
) ENGINE = Null;

CREATE TABLE IF NOT EXISTS rolling_periods (
  fingerprint String,
  grain UInt8,
  period String,
  opens AggregateFunction(sum, Int64),
  marked AggregateFunction(max, Int64),
  open_until AggregateFunction(max, Int64),
  certified AggregateFunction(max, Int64)
) ENGINE = AggregatingMergeTree() ORDER BY (fingerprint, grain, period);

CREATE MATERIALIZED VIEW IF NOT EXISTS rolling_period_marks_to_periods TO rolling_periods AS
SELECT fingerprint, grain, period, sumState(opens) AS opens, maxState(marked) AS marked,
  maxState(open_until) AS open_until, maxState(certified) AS certified
FROM rolling_period_marks GROUP BY fingerprint, grain, period;
