import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageGroupOfAge, applyTransform } from './transforms.js';

// The bands written out independently of the code under test: [first age, last age, band].
const BANDS: readonly [number, number, string][] = [
  [0, 11, '0-11'],
  [12, 15, '12-15'],
  [16, 17, '16-17'],
  [18, 24, '18-24'],
  [25, 34, '25-34'],
  [35, 44, '35-44'],
  [45, 54, '45-54'],
  [55, 64, '55-64'],
  [65, 120, '65+'],
];
const ctx = { referenceYear: 2026 };

describe('age transforms', () => {
  it('puts each band boundary in the right band', () => {
    for (const [first, last, band] of BANDS) {
      expect(ageGroupOfAge(first)).toBe(band);
      expect(ageGroupOfAge(last)).toBe(band);
      expect(applyTransform('age', String(first), ctx)).toEqual({ value: band });
    }
  });

  it('agrees with the band table for every age (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), (age) => {
        const band = BANDS.find(([first, last]) => age >= first && age <= last)?.[2];
        expect(applyTransform('age', ` ${age} `, ctx)).toEqual({ value: band });
        expect(applyTransform('birthYear', String(2026 - age), ctx)).toEqual({ value: band });
      }),
    );
  });

  it('refuses ages that are not whole, negative or implausible', () => {
    expect(applyTransform('age', '34.5', ctx)).toEqual({ problem: '"34.5" is not an age in whole years' });
    expect(applyTransform('age', 'trinta', ctx)).toEqual({
      problem: '"trinta" is not an age in whole years',
    });
    expect(applyTransform('age', '0x10', ctx)).toEqual({ problem: '"0x10" is not an age in whole years' });
    expect(applyTransform('age', '-1', ctx)).toEqual({ problem: '-1 is not a plausible age (0–120)' });
    expect(applyTransform('age', '121', ctx)).toEqual({ problem: '121 is not a plausible age (0–120)' });
  });

  it('computes the age reached during the reference year from a birth year', () => {
    expect(applyTransform('birthYear', '2008', ctx)).toEqual({ value: '18-24' });
    expect(applyTransform('birthYear', '2009', ctx)).toEqual({ value: '16-17' });
    expect(applyTransform('birthYear', '2026', ctx)).toEqual({ value: '0-11' });
    expect(applyTransform('birthYear', '2027', ctx)).toEqual({
      problem: 'year of birth 2027 is after the reference year 2026',
    });
    expect(applyTransform('birthYear', '1905', ctx)).toEqual({
      problem: 'year of birth 1905 gives an age of 121 in 2026 (more than 120)',
    });
    expect(applyTransform('birthYear', '92', ctx)).toEqual({ problem: '"92" is not a year of birth (YYYY)' });
  });

  it('gives the exact age on a reference day from a full date of birth', () => {
    const on = (referenceDate: string) => ({
      referenceYear: Number(referenceDate.slice(0, 4)),
      referenceDate,
    });
    expect(applyTransform('birthDate', '2006-12-31', on('2024-05-01'))).toEqual({ value: '16-17' });
    expect(applyTransform('birthDate', '2006-05-01', on('2024-05-01'))).toEqual({ value: '18-24' });
    expect(applyTransform('birthDate', '02/05/2006', on('2024-05-01'))).toEqual({ value: '16-17' });
    expect(applyTransform('birthDate', '2012-02-29', on('2024-02-28'))).toEqual({ value: '0-11' });
    expect(applyTransform('birthDate', '2012-02-29', on('2024-02-29'))).toEqual({ value: '12-15' });
    expect(applyTransform('birthDate', '2024-05-02', on('2024-05-01'))).toEqual({
      problem: 'the date of birth is after the reference date',
    });
    // A reference date to the quarter, month or year: the age reached during its year, as birthYear.
    expect(applyTransform('birthDate', '2006-12-31', on('2024-Q2'))).toEqual({ value: '18-24' });
  });

  it('reads a date of birth in either order and counts its year as birthYear does without a reference day', () => {
    expect(applyTransform('birthDate', '2008-12-31', ctx)).toEqual({ value: '18-24' });
    expect(applyTransform('birthDate', '01/01/2009', ctx)).toEqual({ value: '16-17' });
    expect(applyTransform('birthDate', '2027-01-01', ctx)).toEqual({
      problem: 'the date of birth is after the reference year',
    });
    expect(applyTransform('birthDate', '31/02/2001', ctx)).toEqual({
      problem: 'is not a date of birth (YYYY-MM-DD or DD/MM/YYYY)',
    });
    expect(applyTransform('birthDate', '1905-06-01', ctx)).toEqual({
      problem: 'the date of birth gives an age of more than 120',
    });
  });

  it('never quotes a date of birth, or any part of it, in a problem', () => {
    for (const value of ['1990-13-05', '31/02/2001', '2031-07-19', '19/07/2031', '1890-03-14', 'x1987y']) {
      const result = applyTransform('birthDate', value, ctx);
      expect(result, value).toHaveProperty('problem');
      // No year, and not the value itself: the problem is the same for every date of birth with the same fault.
      if ('problem' in result) expect(result.problem, value).not.toMatch(/\d{4}|x1987y/);
    }
  });
});

describe('text transforms', () => {
  it('upper-cases and converts ISO to NUTS country codes', () => {
    expect(applyTransform('upper', 'br', ctx)).toEqual({ value: 'BR' });
    expect(applyTransform('isoToNuts', 'gr', ctx)).toEqual({ value: 'EL' });
    expect(applyTransform('isoToNuts', 'PT', ctx)).toEqual({ value: 'PT' });
  });
});
