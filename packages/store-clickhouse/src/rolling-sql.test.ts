import { describe, expect, it } from 'vitest';
import { grainRefRowsSql } from './rolling-grain-sql.js';
import { cellRowsSql, refRowsSql } from './rolling-sql.js';

// ClickHouse 18.16 analyses a materialized view's SELECT again for every inserted block: lambdas (and the tuples
// they build) there made most of a small apply's cost. The rows the views write are checked against core's
// expansion for random records in apply-certification.int.test.ts and against reads in rolling.int.test.ts.
describe('the SQL of the rolling views', () => {
  it.each([
    ['cells', cellRowsSql('record_changes')],
    ['references', refRowsSql('record_changes')],
    ['grain references', grainRefRowsSql('record_changes')],
  ])('of the %s holds no lambda', (_, sql) => {
    expect(sql).not.toContain('->');
    expect(sql).not.toContain('arrayMap');
  });
});
