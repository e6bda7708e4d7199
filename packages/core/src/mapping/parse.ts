/**
 * Validation of mapping documents (mapping/format.ts) when an admin registers or updates a provider's mapping, so
 * that a mapping in the registry can never emit an invalid code: every canonical field named exists and applies to
 * the kinds it is used for, every rule has exactly one source (`from`, `flags` or `const`), every target code of
 * `values`, `flags`, `const` and `default` is valid for its field, and options only appear where they mean
 * something. All problems are reported at once, each with its path in the document.
 */
import { MosyError, type FieldIssue } from '../errors.js';
import { RECORD_KINDS, isCode, type RecordKind } from '../taxonomy/codes.js';
import {
  FIELDS,
  fieldValueProblem,
  isCanonicalField,
  isListField,
  type CanonicalField,
} from '../taxonomy/fields.js';
import { MAPPING_FORMAT, type MappingDocument } from './format.js';
import { TRANSFORMS } from './transforms.js';

const DOCUMENT_KEYS = ['format', 'description', 'unmapped', 'fields', 'kinds', 'drop'];
const RULE_KEYS = [
  'from',
  'values',
  'caseInsensitive',
  'passthrough',
  'split',
  'transform',
  'flags',
  'truthy',
  'const',
  'default',
  'unmapped',
];
/** Options that only make sense when the value is read from a source field. */
const FROM_ONLY = ['values', 'caseInsensitive', 'passthrough', 'split', 'transform'];
const POLICIES = ['flag', 'count', 'reject'];
const GEO_FIELDS: readonly CanonicalField[] = ['regionOfIdentification', 'regionOfExploitation'];

/**
 * Checks that `json` is a valid mapping document and returns it typed.
 * @throws MosyError `invalid-mapping` whose `issues` list every problem with its path (e.g. `fields.sex.values.F`).
 */
export function parseMapping(json: unknown): MappingDocument {
  const issues: FieldIssue[] = [];
  const report = (field: string, message: string): void => {
    issues.push({ field, code: 'invalid-mapping', message: `${field}: ${message}` });
  };

  if (!isObject(json)) {
    report('(document)', 'a mapping must be a JSON object');
  } else {
    for (const key of Object.keys(json))
      if (!DOCUMENT_KEYS.includes(key))
        report(key, `unknown property (expected ${DOCUMENT_KEYS.join(', ')})`);
    if (json.format !== MAPPING_FORMAT) report('format', `must be "${MAPPING_FORMAT}"`);
    if (json.description !== undefined && typeof json.description !== 'string')
      report('description', 'must be a string');
    if (json.unmapped !== undefined && !POLICIES.includes(json.unmapped as string))
      report('unmapped', 'must be "flag", "count" or "reject"');
    if (json.drop !== undefined && !isStringList(json.drop))
      report('drop', 'must be a list of source field names');

    if (json.fields === undefined)
      report('fields', 'is required (an object of canonical field → rule, may be empty)');
    else checkRules(json.fields, 'fields', undefined, report);

    if (json.kinds !== undefined) {
      if (!isObject(json.kinds)) report('kinds', 'must be an object of record kind → rules');
      else
        for (const [kind, rules] of Object.entries(json.kinds)) {
          if (!isCode(RECORD_KINDS, kind))
            report(`kinds.${kind}`, `not a record kind (${Object.keys(RECORD_KINDS).join(', ')})`);
          else checkRules(rules, `kinds.${kind}`, kind as RecordKind, report);
        }
    }
  }

  if (issues.length > 0) {
    const count = issues.length === 1 ? 'one problem' : `${issues.length} problems`;
    throw new MosyError('invalid-mapping', `The mapping is not valid (${count}).`, { issues });
  }
  return json as MappingDocument;
}

type Report = (field: string, message: string) => void;

function checkRules(rules: unknown, path: string, kind: RecordKind | undefined, report: Report): void {
  if (!isObject(rules)) {
    report(path, 'must be an object of canonical field → rule');
    return;
  }
  for (const [field, rule] of Object.entries(rules)) {
    const at = `${path}.${field}`;
    if (!isCanonicalField(field)) {
      report(at, 'not a canonical field of the MoSy taxonomy');
      continue;
    }
    if (kind !== undefined && !FIELDS[field].kinds.includes(kind)) {
      report(at, `${field} does not apply to ${kind} records`);
      continue;
    }
    checkRule(field, rule, at, report);
  }
}

function checkRule(field: CanonicalField, rule: unknown, at: string, report: Report): void {
  if (!isObject(rule)) {
    report(at, 'a rule must be an object');
    return;
  }
  for (const key of Object.keys(rule))
    if (!RULE_KEYS.includes(key))
      report(`${at}.${key}`, `unknown rule option (expected ${RULE_KEYS.join(', ')})`);

  const sources = (['from', 'flags', 'const'] as const).filter((key) => rule[key] !== undefined);
  if (sources.length !== 1)
    report(
      at,
      sources.length === 0
        ? 'a rule needs exactly one of from, flags or const; it has none'
        : `a rule needs exactly one of from, flags or const; it has ${sources.join(' and ')}`,
    );
  const list = isListField(field);

  if (
    rule.from !== undefined &&
    !isNonEmptyString(rule.from) &&
    !(isStringList(rule.from) && rule.from.length > 0)
  )
    report(`${at}.from`, 'must be a source field name or a non-empty list of them');

  if (rule.from === undefined)
    for (const key of FROM_ONLY)
      if (rule[key] !== undefined) report(`${at}.${key}`, 'only applies to a rule with from');

  if (rule.values !== undefined) {
    if (!isObject(rule.values))
      report(`${at}.values`, 'must be an object of source value → canonical code(s)');
    else {
      const seen = new Map<string, string>();
      for (const [source, target] of Object.entries(rule.values)) {
        checkTarget(field, target, `${at}.values.${source}`, report);
        if (rule.caseInsensitive === true) {
          const lowered = source.trim().toLowerCase();
          const other = seen.get(lowered);
          if (other !== undefined && JSON.stringify(rule.values[other]) !== JSON.stringify(target))
            report(`${at}.values.${source}`, `clashes with "${other}" when case is ignored`);
          seen.set(lowered, source);
        }
      }
    }
  }
  for (const key of ['caseInsensitive', 'passthrough'])
    if (rule[key] !== undefined && typeof rule[key] !== 'boolean')
      report(`${at}.${key}`, 'must be true or false');
  if (rule.split !== undefined) {
    if (!isNonEmptyString(rule.split)) report(`${at}.split`, 'must be a non-empty separator');
    else if (!list) report(`${at}.split`, `${field} holds one value, so it cannot be split`);
  }
  if (rule.transform !== undefined) checkTransform(field, rule.transform, `${at}.transform`, report);

  if (rule.flags !== undefined) {
    if (!isObject(rule.flags) || Object.keys(rule.flags).length === 0)
      report(`${at}.flags`, 'must be a non-empty object of source field → code');
    else if (!list) report(`${at}.flags`, `${field} holds one value; flags build a list`);
    else
      for (const [source, code] of Object.entries(rule.flags)) {
        if (typeof code !== 'string') report(`${at}.flags.${source}`, 'must be one canonical code');
        else checkTarget(field, code, `${at}.flags.${source}`, report);
      }
  }
  if (rule.truthy !== undefined) {
    if (rule.flags === undefined) report(`${at}.truthy`, 'only applies to a rule with flags');
    else if (!isStringList(rule.truthy) || rule.truthy.length === 0)
      report(`${at}.truthy`, 'must be a non-empty list of strings');
  }
  if (rule.const !== undefined) checkTarget(field, rule.const, `${at}.const`, report);
  if (rule.default !== undefined) checkTarget(field, rule.default, `${at}.default`, report);
  if (rule.unmapped !== undefined && !POLICIES.includes(rule.unmapped as string))
    report(`${at}.unmapped`, 'must be "flag", "count" or "reject"');
}

function checkTransform(field: CanonicalField, transform: unknown, at: string, report: Report): void {
  if (typeof transform !== 'string' || !(TRANSFORMS as readonly string[]).includes(transform)) {
    report(at, `must be one of ${TRANSFORMS.join(', ')}`);
    return;
  }
  if ((transform === 'age' || transform === 'birthYear' || transform === 'birthDate') && field !== 'ageGroup')
    report(at, `${transform} produces an age group, so it only applies to ageGroup`);
  if (transform === 'isoToNuts' && !GEO_FIELDS.includes(field))
    report(at, `isoToNuts produces a geography code, so it only applies to ${GEO_FIELDS.join(' and ')}`);
}

/** A canonical value a rule emits: one code, or for list fields one code or a list of codes. */
function checkTarget(field: CanonicalField, target: unknown, at: string, report: Report): void {
  if (Array.isArray(target)) {
    if (!isListField(field))
      report(at, `${field} holds one value; a list of codes is only allowed for list fields`);
    else if (target.length === 0) report(at, 'must not be an empty list (use UNK for unknown)');
    else
      for (const code of target) {
        const problem = typeof code === 'string' ? fieldValueProblem(field, code) : 'must be a string';
        if (problem !== undefined) report(at, problem);
      }
    return;
  }
  if (typeof target !== 'string') {
    report(at, `must be a canonical code of ${field}${isListField(field) ? ' or a list of them' : ''}`);
    return;
  }
  const problem = fieldValueProblem(field, target);
  if (problem !== undefined) report(at, problem);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => isNonEmptyString(item));
