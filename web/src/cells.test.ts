import { describe, expect, it } from 'vitest';
import { cellAttributes, cellKey, cellValue } from './cells.js';

describe('cell keys', () => {
  it('sorts the dimensions and leaves out those without a code, so equal counts get equal keys', () => {
    const a = cellKey('victims', {
      period: '2024',
      regionOfIdentification: 'PT11',
      geoLevel: '2',
      providers: undefined,
    });
    const b = cellKey('victims', { geoLevel: '2', regionOfIdentification: 'PT11', period: '2024', sex: '' });
    expect(a).toBe('victims|geoLevel=2|period=2024|regionOfIdentification=PT11');
    expect(b).toBe(a);
  });

  it('tells apart the same code at different levels of the map', () => {
    expect(cellKey('victims', { geoLevel: '0', regionOfIdentification: 'PT' })).not.toBe(
      cellKey('victims', { geoLevel: '2', regionOfIdentification: 'PT' }),
    );
  });

  it('keys the grand total as TOTAL', () => {
    expect(cellKey('victims', {})).toBe('victims|TOTAL');
    expect(cellKey('victims', { providers: undefined, period: undefined })).toBe('victims|TOTAL');
  });

  it('writes withheld values as such', () => {
    expect(cellValue(null)).toBe('withheld');
    expect(cellValue(0)).toBe('0');
    expect(cellValue(464)).toBe('464');
    expect(cellAttributes('victims', { sex: 'F', period: '2024-Q1' }, null)).toEqual({
      'data-cell': 'victims|period=2024-Q1|sex=F',
      'data-value': 'withheld',
    });
  });
});
