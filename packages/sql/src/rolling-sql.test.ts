import { describe, expect, it } from 'vitest';
import { rollingOuterSql } from './rolling-sql.js';

describe('rollingOuterSql', () => {
  const parts = ["SELECT 'c' AS part, k0 AS c0, '' AS period, 1 AS v FROM t"];

  it('sorts by part, codes and period unless an enclosing statement does', () => {
    const select = `SELECT part, c0 AS k0, period AS period_label, coalesce(sum(v), 0) AS n FROM (${parts[0]!}) GROUP BY part, c0, period`;
    expect(rollingOuterSql(['c0'], parts, false)).toBe(`${select} ORDER BY part, c0, period`);
    expect(rollingOuterSql(['c0'], parts, false, true, false)).toBe(select);
  });

  it('takes rows already one per codes and period as they are', () => {
    expect(rollingOuterSql(['c0'], parts, false, false, false)).toBe(
      `SELECT part, c0 AS k0, period AS period_label, v AS n FROM (${parts[0]!})`,
    );
  });
});
