-- Person counters count persons without identity (r:, one record each) too, folded in from the finest cells' change
-- by apply, so a persons read routed to counters no longer sums finest cells. Emptying rolling_state makes migrate
-- rebuild every rolling table, the counters with their persons without identity included, from the current records.
DELETE FROM rolling_state;
