// Distances between region points, on the sphere and in the plane.
import { describe, expect, it } from 'vitest';
import { pointDistance } from './region-points.js';

describe('pointDistance', () => {
  it('measures great-circle kilometres between longitude/latitude points', () => {
    // One degree of latitude on a sphere of the mean Earth radius (6 371.0088 km) is 111.195 km.
    expect(pointDistance([0, 0], [0, 1], 'great-circle')).toBeCloseTo(111.195, 3);
    // Lisbon (−9.139, 38.722) to Madrid (−3.704, 40.417): about 503 km.
    expect(pointDistance([-9.139, 38.722], [-3.704, 40.417], 'great-circle')).toBeCloseTo(503, -1);
    // A degree of longitude shrinks with latitude; the plane does not know that.
    expect(pointDistance([0, 60], [1, 60], 'great-circle')).toBeCloseTo(55.6, 1);
  });

  it('measures straight lines in the plane', () => {
    expect(pointDistance([0, 0], [3, 4], 'planar')).toBe(5);
  });
});
