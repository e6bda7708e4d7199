import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { countryOfIso, labelPoint, reportCountryCode } from './places.js';

/** A small square (clockwise, d3's winding for exteriors) centred on (lon, lat). */
const square = (lon: number, lat: number, half: number): number[][] => [
  [lon - half, lat - half],
  [lon - half, lat + half],
  [lon + half, lat + half],
  [lon + half, lat - half],
  [lon - half, lat - half],
];

describe('places', () => {
  it('puts a region’s label at the centroid of its largest part', () => {
    const france: Feature = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiPolygon', coordinates: [[square(-53, 4, 1)], [square(2, 46, 4)]] },
    };
    const [lon, lat] = labelPoint(france)!;
    expect(lon).toBeCloseTo(2, 6);
    expect(lat).toBeGreaterThan(45.9);
    expect(lat).toBeLessThan(46.1);
    expect(
      labelPoint({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } }),
    ).toBe(undefined);
  });

  it('translates country codes between the sources', () => {
    expect(reportCountryCode('UK')).toBe('GB');
    expect(reportCountryCode('NG')).toBe('NG');
    expect(countryOfIso('GR')).toBe('EL');
    expect(countryOfIso('RO')).toBe('RO');
  });
});
