import { describe, expect, it } from 'vitest';
import { apiQuery, paramsOfState, reportFamily, stateFromParams } from './report-state.js';

describe('report state in the URL', () => {
  it('reads back what it wrote, and asks the API in its own spelling', () => {
    const text =
      'indicator=victims&by=sex%2CageClass&from=2024&to=2024-Q3&interval=quarter&providers=type%3ANGO&geo=PT11&unit=records&exact=1';
    const state = stateFromParams(new URLSearchParams(text), 'coordinator')!;
    expect(state.providers).toEqual({ mode: 'type', type: 'NGO' });
    expect(paramsOfState(state).toString()).toBe(text);
    expect(apiQuery(state)).toEqual({
      by: 'sex,ageClass',
      from: '2024',
      to: '2024-Q3',
      interval: 'quarter',
      providers: 'type:NGO',
      geo: 'PT11',
      unit: 'records',
      protection: 'none',
    });
    expect(reportFamily(state)).toBe('time-frame');
  });

  it('leaves out what is not chosen, and keeps at most three variables', () => {
    const state = stateFromParams(
      new URLSearchParams('indicator=suspects&by=a,b,c,d&providers=x,y'),
      'analyst',
    )!;
    expect(state.by).toEqual(['a', 'b', 'c']);
    expect(state.providers).toEqual({ mode: 'some', ids: ['x', 'y'] });
    expect(apiQuery(state)).toEqual({ by: 'a,b,c', providers: 'x,y' });
    expect(reportFamily(state)).toBe('simple');
    expect(stateFromParams(new URLSearchParams('by=sex'), 'analyst')).toBeUndefined();
  });

  it("asks for exact values only for a coordinator: an analyst's copy of the link gets the protected report", () => {
    const params = new URLSearchParams('indicator=victims&by=sex&exact=1');
    expect(apiQuery(stateFromParams(params, 'coordinator')!)).toEqual({ by: 'sex', protection: 'none' });
    const analyst = stateFromParams(params, 'analyst')!;
    expect(analyst.exact).toBe(false);
    expect(apiQuery(analyst)).toEqual({ by: 'sex' });
    expect(paramsOfState(analyst).toString()).toBe('indicator=victims&by=sex');
  });
});
