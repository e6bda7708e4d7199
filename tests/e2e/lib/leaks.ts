/**
 * The identity leak check: every identity value and free-text note the dataset sent — as sent, and in the forms a
 * normaliser would produce (lower and upper case, accents dropped, the sorted name tokens a pseudonym is computed
 * from) — searched byte for byte in every file under the given paths, binary files included, with `grep -F -a`
 * (Aho–Corasick, fast enough for tens of thousands of needles over a data folder).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodingToBytes, type LinkageEncoding } from '@mosy/core';
import { sensitiveValues, type SyntheticDataset } from '@mosy/testkit';

/** Shortest needle searched: shorter strings occur by chance in binary files. */
const MIN_NEEDLE = 6;

const unaccent = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '');

/** The strings whose presence anywhere after the normalizer is a leak. */
export function leakNeedles(dataset: SyntheticDataset): string[] {
  const needles = new Set<string>();
  for (const value of sensitiveValues(dataset)) {
    for (const form of [value, value.toLowerCase(), value.toUpperCase(), unaccent(value).toLowerCase()])
      needles.add(form);
  }
  for (const { records } of dataset.submissions)
    for (const record of records) {
      const identity = record.identity;
      if (identity === undefined) continue;
      const tokens = [
        ...new Set(
          `${identity.givenName ?? ''} ${identity.familyName ?? ''}`
            .split(/\s+/)
            .map((t) => unaccent(t).toLowerCase())
            .filter((t) => t !== ''),
        ),
      ].sort();
      needles.add(tokens.join(' '));
      needles.add(tokens.join(''));
    }
  return [...needles].filter((n) => n.length >= MIN_NEEDLE && !n.includes('\n')).sort();
}

/**
 * The forms a linkage encoding could leak in: hex and base64 of its bytes (`encodingToBytes`, as the linker stores
 * and sends it), and of its filter words alone; and its words in decimal, as JSON writes a `Uint32Array` (pino's log
 * lines, a response body: `{"0":…,"1":…}`) or an array of them (`…,…`).
 */
export function encodingNeedles(encodings: readonly LinkageEncoding[]): string[] {
  const needles = new Set<string>();
  for (const encoding of encodings) {
    const bits = Buffer.from(encoding.bits.buffer, encoding.bits.byteOffset, encoding.bits.byteLength);
    for (const bytes of [Buffer.from(encodingToBytes(encoding)), bits])
      for (const form of [bytes.toString('hex'), bytes.toString('base64')]) needles.add(form);
    // The filter words big-endian, as inside the stored bytes.
    needles.add(Buffer.from(encodingToBytes(encoding)).subarray(0, encoding.bits.byteLength).toString('hex'));
    needles.add(JSON.stringify(encoding.bits).slice(1, -1));
    needles.add([...encoding.bits].join(','));
  }
  return [...needles].sort();
}

/** Writes text to a new temporary file (e.g. captured response bodies, to search them like the rest). */
export function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mosy-e2e-')), name);
  writeFileSync(path, content);
  return path;
}

/** Every `path: needle` occurrence of a needle in the files under `paths` (recursively). */
export async function findLeaks(needles: readonly string[], paths: readonly string[]): Promise<string[]> {
  const patterns = tempFile('needles.txt', needles.join('\n') + '\n');
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      'grep',
      ['-r', '-a', '-F', '-o', '-f', patterns, '--', ...paths],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // grep exits 1 when nothing matched: that is the good outcome. It exits 2 when a file vanished between
        // listing and reading it (a broker renames its `.tmp` checkpoint files all the time): such a file holds
        // nothing any more. A searched path itself missing is still an error.
        const onlyVanished = stderr
          .split('\n')
          .filter((line) => line !== '')
          .every((line) => {
            const missing = /^grep: (.*): No such file or directory$/.exec(line)?.[1];
            return missing !== undefined && !paths.includes(missing);
          });
        if (error === null) resolve(stdout);
        else if ((error.code === 1 || error.code === 2) && onlyVanished) resolve(stdout);
        else reject(new Error(`grep failed (${String(error.code)}): ${stderr}`));
      },
    );
  });
  return [...new Set(output.split('\n').filter((line) => line !== ''))].slice(0, 50);
}
