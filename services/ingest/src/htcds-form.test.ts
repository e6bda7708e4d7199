/**
 * The built-in HTCDS 2.0 mapping against IOM's own XLSForm, read at run time from `MOSY_HTCDS_DIR` (default
 * `../shared/external/htcds-2.0` beside the repository; never copied into it): every field the form names is
 * known (mapped or dropped), and every picklist value of a mapped field maps to a MoSy code, by value name and by
 * label, without an unmapped flag.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  HTCDS_2_MAPPING,
  HTCDS_SOURCES,
  htcdsColumn,
  isCountry,
  mapRecord,
  validateSubmittedRecord,
} from '@mosy/core';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const HTCDS_DIR = resolve(
  process.env.MOSY_HTCDS_DIR ?? join(REPO_ROOT, '..', 'shared', 'external', 'htcds-2.0'),
);

interface FormQuestion {
  readonly name: string;
  readonly choices: readonly { readonly label: string; readonly value: string }[];
}

/** The questions of the XLSForm's body with their choices. */
function formQuestions(): FormQuestion[] {
  const xml = readFileSync(join(HTCDS_DIR, 'htcds_xlsform.xml'), 'utf8');
  const body = xml.slice(xml.indexOf('<h:body>'));
  const out: FormQuestion[] = [];
  for (const match of body.matchAll(/<(select1?|input) ref="\/data\/([^"]+)">(.*?)<\/\1>/gs)) {
    const choices = [
      ...match[3]!.matchAll(/<item><label>([^<]*)<\/label><value>([^<]*)<\/value><\/item>/g),
    ].map((m) => ({ label: m[1]!, value: m[2]! }));
    out.push({ name: match[2]!, choices });
  }
  return out;
}

const mapOne = (fields: Record<string, string>) => {
  const { record } = validateSubmittedRecord(
    { recordId: 'r1', version: 1, action: 'upsert', kind: 'victim', referenceDate: '2024-05-01', fields },
    0,
    'p1',
    '2099-12-31',
  );
  if (record === undefined) throw new Error('invalid test record');
  return mapRecord(HTCDS_2_MAPPING, record);
};

describe("IOM's HTCDS 2.0 XLSForm", () => {
  it("knows every field of IOM's XLSForm", () => {
    const questions = formQuestions();
    expect(questions.length).toBe(31);
    expect(questions.map((q) => q.name).filter((name) => htcdsColumn(name) === undefined)).toEqual([]);
  });

  it("maps every picklist value of the form's mapped fields, by name and by label", () => {
    const sources = new Set<string>(Object.values(HTCDS_SOURCES));
    const checked: string[] = [];
    const notCountries: string[] = [];
    for (const question of formQuestions()) {
      const field = htcdsColumn(question.name)!;
      if (!sources.has(field) || question.choices.length === 0) continue;
      const isCountryList = field === HTCDS_SOURCES.citizenship;
      for (const choice of question.choices)
        // Country choices are labelled by name; their values, the ISO codes, are what is stored.
        for (const value of isCountryList ? [choice.value] : [choice.value, choice.label.toUpperCase()]) {
          if (isCountryList && !isCountry(value)) {
            notCountries.push(value);
            continue;
          }
          const result = mapOne({ [field]: value });
          if ('issues' in result) throw new Error(`${field}=${value}: ${JSON.stringify(result.issues)}`);
          expect(result.unmapped, `${field}=${value}`).toEqual([]);
          expect(result.record.mapped.quality, `${field}=${value}`).toEqual([]);
        }
      checked.push(field);
    }
    // The form lists every ISO 3166-1 code; MoSy's country list has all but these.
    expect(notCountries).toEqual([]);
    expect(checked.sort()).toEqual([
      'prs_Citizenship',
      'prs_Gender',
      'vic_ForcedLabourIndustry',
      'vic_MethodsOfControl',
      'vic_TraffickingStatus',
      'vic_TypeOfExploitation',
    ]);
  });
});
