import { describe, expect, it } from 'vitest';
import { clickHouseDialect, duckDbDialect } from './dialect.js';
import { buildTimelinessSql, timelinessFromRows } from './timeliness-sql.js';

describe('timeliness SQL', () => {
  it('reads current records of the listed providers, grouped by provider and kind', () => {
    const sql = buildTimelinessSql(['prov-a', 'prov-b'], duckDbDialect, 't');
    expect(sql).toContain("provider_id IN ('prov-a', 'prov-b')");
    expect(sql).toContain('GROUP BY provider_id, kind ORDER BY provider_id, kind');
    expect(buildTimelinessSql(['x'], clickHouseDialect, 't')).toContain('FROM t FINAL');
  });

  it('matches nothing for no providers, and refuses an unsafe id', () => {
    expect(buildTimelinessSql([], duckDbDialect, 't')).toContain('1 = 0');
    expect(() => buildTimelinessSql(["a'; DROP TABLE t; --"], duckDbDialect, 't')).toThrow();
  });

  it('turns rows into counts, whatever integer type the driver returns', () => {
    expect(
      timelinessFromRows([
        { provider_id: 'p', kind: 'victim', n: 3n, lag_sum: '40', w30: 2, w90: 3n, w365: 3 },
      ]),
    ).toEqual([
      { providerId: 'p', kind: 'victim', records: 3, lagDaysSum: 40, within30: 2, within90: 3, within365: 3 },
    ]);
    expect(() =>
      timelinessFromRows([{ provider_id: 'p', kind: 'other', n: 1, lag_sum: 0, w30: 0, w90: 0, w365: 0 }]),
    ).toThrow();
  });
});
