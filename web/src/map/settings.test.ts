import { describe, expect, it } from 'vitest';
import type { Choices } from './data.js';
import { initialSettings, settingsParams, type Settings } from './settings.js';

const choices = {
  indicators: [{ id: 'victims' }, { id: 'suspects' }],
  providers: [],
  labels: {},
} as unknown as Choices;
const known = { measures: ['counts', 'rates'], overlays: ['hotspots', 'context'] };
const levels = [0, 1, 2, 3];

const base: Settings = {
  indicator: 'victims',
  level: 2,
  geoField: 'regionOfIdentification',
  providers: '',
  granularity: 'year',
  periodIndex: 0,
  view: 'regions',
  flowOrigin: 'citizenship',
  measure: 'counts',
  overlays: [],
  zoom: false,
};

const read = (params: URLSearchParams) => {
  const { period, ...settings } = initialSettings(params, choices, levels, known);
  return { period, settings };
};

describe('map settings in the URL', () => {
  it('writes a plain map as a short link', () => {
    expect(settingsParams(base, undefined, new URLSearchParams(), { measure: 'counts' }).toString()).toBe(
      'indicator=victims&level=2',
    );
  });

  it('reads back every setting it writes, and keeps exact', () => {
    const settings: Settings = {
      ...base,
      indicator: 'suspects',
      level: 3,
      geoField: 'regionOfExploitation',
      providers: 'type:NGO',
      granularity: 'quarter',
      view: 'flows',
      flowOrigin: 'countryOfRecruitment',
      measure: 'rates',
      overlays: ['hotspots', 'context'],
      zoom: true,
    };
    const params = settingsParams(settings, '2024-Q2', new URLSearchParams('exact=1&level=0'), {
      measure: 'counts',
    });
    expect(params.get('exact')).toBe('1');
    const { period, settings: back } = read(params);
    expect(period).toBe('2024-Q2');
    const { periodIndex: _, ...expected } = settings;
    expect(back).toEqual(expected);
    // All periods at quarters: the interval is kept without a period.
    const all = read(settingsParams(settings, undefined, new URLSearchParams(), { measure: 'counts' }));
    expect(all.period).toBeUndefined();
    expect(all.settings.granularity).toBe('quarter');
  });

  it('takes defaults for what a link names wrongly', () => {
    const { settings } = read(
      new URLSearchParams('indicator=x&level=9&origin=moon&measure=fast&overlays=hotspots,nope&zoom=yes'),
    );
    expect(settings).toMatchObject({
      indicator: 'victims',
      level: 2,
      flowOrigin: 'citizenship',
      measure: 'counts',
      overlays: ['hotspots'],
      zoom: false,
    });
  });
});
