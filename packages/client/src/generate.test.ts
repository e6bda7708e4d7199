import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, generateClientTypes } from './generate.js';

describe('the generated client types', () => {
  it('match the current OpenAPI document (run `npm run generate:client` after changing a route)', async () => {
    const checkedIn = readFileSync(new URL(GENERATED_FILE, import.meta.url), 'utf8');
    expect(checkedIn === (await generateClientTypes()), 'src/generated/api.ts is stale').toBe(true);
  });
});
