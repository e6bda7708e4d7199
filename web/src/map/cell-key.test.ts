import { describe, expect, it } from 'vitest';
import { cellKey, cellValue } from './cell-key.js';

describe('cell keys', () => {
  it('sorts the coordinates and leaves out the unset ones, so equal counts get equal keys', () => {
    const a = cellKey('victims', {
      to: '2024',
      regionOfIdentification: 'PT11',
      from: '2024',
      providers: undefined,
    });
    const b = cellKey('victims', { from: '2024', regionOfIdentification: 'PT11', to: '2024', sex: '' });
    expect(a).toBe('victims?from=2024&regionOfIdentification=PT11&to=2024');
    expect(b).toBe(a);
  });

  it('escapes what a query string must', () => {
    expect(cellKey('victims', { providers: 'type:NGO', citizenship: 'NG' })).toBe(
      'victims?citizenship=NG&providers=type%3ANGO',
    );
  });

  it('writes withheld values as such', () => {
    expect(cellValue(null)).toBe('withheld');
    expect(cellValue(0)).toBe('0');
    expect(cellValue(464)).toBe('464');
  });
});
