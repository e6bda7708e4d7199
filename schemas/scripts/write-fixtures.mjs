// Writes the golden bytes `fixtures/<subject>/v<N>.avro` from `fixtures/<subject>/v<N>.json` with the serde of
// schema version N. Run once when a schema version is added (after `npm run build -w @mosy/schemas`), then commit
// the bytes: they pin the wire format, so an existing .avro is never overwritten unless `--force` is given.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TOPIC_SUBJECTS, topicSerde } from '../dist/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const force = process.argv.includes('--force');

for (const [topic, subject] of Object.entries(TOPIC_SUBJECTS)) {
  for (const file of readdirSync(`${fixtures}${subject}`)) {
    const match = /^v(\d+)\.json$/.exec(file);
    if (!match) continue;
    const version = Number(match[1]);
    const target = `${fixtures}${subject}/v${version}.avro`;
    if (existsSync(target) && !force) {
      console.log(`kept    ${subject}/v${version}.avro`);
      continue;
    }
    const value = JSON.parse(readFileSync(`${fixtures}${subject}/${file}`, 'utf8'));
    writeFileSync(target, topicSerde(topic, { version }).encode(value));
    console.log(`written ${subject}/v${version}.avro`);
  }
}
