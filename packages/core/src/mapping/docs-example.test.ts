// The provider documentation (docs/mappings.md) is what providers copy from: its example must stay valid and its
// stated result must be what the engine produces.
// eslint-disable-next-line no-restricted-imports -- a test reading the docs, not core doing I/O
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSubmittedRecord } from '../submission/validate-record.js';
import { applyMapping } from './apply.js';
import { parseMapping } from './parse.js';

const docs = readFileSync(new URL('../../../../docs/mappings.md', import.meta.url), 'utf8');

function example(name: string): unknown {
  const match = new RegExp(`<!-- example:${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(docs);
  if (match?.[1] === undefined) throw new Error(`docs/mappings.md has no example:${name} block`);
  return JSON.parse(match[1]);
}

describe('docs/mappings.md', () => {
  it('has a valid mapping whose stated result is what the engine produces', () => {
    const mapping = parseMapping(example('mapping'));
    const { record, issues } = validateSubmittedRecord(example('record'), 0, 'ngo-lisboa', '2100-12-31');
    expect(issues).toEqual([]);
    const result = applyMapping(mapping, record!, { referenceYear: 2026 });
    expect(result.issues).toEqual([]);
    expect({ fields: result.fields, quality: result.quality }).toEqual(example('result'));
    expect(result.unmapped).toEqual([{ field: 'labourSector', source: 'setor', value: 'bar' }]);
  });

  it('shows refusal messages the parser really gives', () => {
    const block = /## When a mapping is refused[\s\S]*?```json\n([\s\S]*?)\n```/.exec(docs)?.[1];
    const documented = JSON.parse(block ?? '[]') as { field: string; message: string }[];
    expect(documented.length).toBe(4);
    let actual: readonly { field: string; message: string }[] = [];
    try {
      parseMapping({
        format: 'mosy-mapping/1',
        fields: {
          gender: { from: 'g' },
          sex: { from: 'genero', values: { Feminino: 'W' } },
          ageGroup: { from: 'idade', const: 'UNK' },
          citizenship: { from: 'nac', transform: 'lower' },
        },
      });
    } catch (error) {
      actual = (error as { issues: { field: string; message: string }[] }).issues;
    }
    for (const issue of documented) expect(actual).toContainEqual({ ...issue, code: 'invalid-mapping' });
  });
});
