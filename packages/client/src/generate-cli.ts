/** `npm run generate:client`: writes the generated types of the current OpenAPI document into the package. */
import { writeFileSync } from 'node:fs';
import { GENERATED_FILE, generateClientTypes } from './generate.js';

const target = new URL(GENERATED_FILE, import.meta.url);
writeFileSync(target, await generateClientTypes());
process.stdout.write(`wrote ${target.pathname}\n`);
