import { describe, expect, it } from 'vitest';
import { mappingCoverage } from './coverage.js';
import { parseMapping } from './parse.js';

describe('mappingCoverage', () => {
  const mapping = parseMapping({
    format: 'mosy-mapping/1',
    fields: {
      sex: { from: ['genero', 'sexo'] },
      exploitation: { flags: { exp_sexual: 'SEX', exp_laboral: 'LAB' } },
      regionOfIdentification: { const: 'PT' },
    },
    kinds: { suspect: { exploitation: { from: 'crime' } } },
    drop: ['notas', 'tecnico', 'notas'],
  });
  const coverage = mappingCoverage(mapping);

  it('lists the fields with a rule and the source fields read', () => {
    expect(coverage.covered).toEqual(['sex', 'exploitation', 'regionOfIdentification']);
    expect(coverage.sourceFields).toEqual(['crime', 'exp_laboral', 'exp_sexual', 'genero', 'sexo']);
    expect(coverage.dropped).toEqual(['notas', 'tecnico']);
  });

  it('says how each field is derived, per kind', () => {
    expect(coverage.fields.filter((f) => f.field === 'exploitation')).toEqual([
      {
        field: 'exploitation',
        via: 'flags',
        kinds: ['victim', 'prosecuted', 'convicted'],
        sources: ['exp_sexual', 'exp_laboral'],
      },
      { field: 'exploitation', via: 'from', kinds: ['suspect'], sources: ['crime'] },
    ]);
    expect(coverage.fields.find((f) => f.field === 'regionOfIdentification')).toEqual({
      field: 'regionOfIdentification',
      via: 'const',
      kinds: ['victim', 'suspect', 'prosecuted', 'convicted', 'prosecution'],
      sources: [],
    });
    expect(coverage.fields.find((f) => f.field === 'ageGroup')).toEqual({
      field: 'ageGroup',
      via: 'implicit',
      kinds: ['victim', 'suspect', 'prosecuted', 'convicted'],
      sources: ['ageGroup', 'age', 'birthYear'],
    });
    expect(coverage.fields.find((f) => f.field === 'outcome')).toEqual({
      field: 'outcome',
      via: 'implicit',
      kinds: ['prosecution'],
      sources: ['outcome'],
    });
  });
});
