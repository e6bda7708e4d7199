/**
 * The data-entry form of a provider, derived from its mapping: which of its own fields a victim record has, and
 * how each is entered. A rule's `values` table offers the provider's own words; a `flags` rule a checkbox per
 * column; `age`/`birthYear` transforms a number; a field the mapping passes through offers the taxonomy's codes
 * when there is a list of them, else free text; `const` fields are fixed and not entered; `drop` fields (free text)
 * are never offered, so nothing the mapping would throw away is typed into the browser. The server checks the
 * record with the same mapping: this only shapes the form.
 */

/** The canonical fields of a victim record, in the order the form shows them. */
export const VICTIM_FIELDS = [
  'status',
  'sex',
  'ageGroup',
  'citizenship',
  'exploitation',
  'regionOfIdentification',
  'regionOfExploitation',
  'countryOfRecruitment',
  'assistance',
  'reflectionPeriod',
  'residencePermit',
  'meansOfControl',
  'recruiterRelationship',
  'labourSector',
] as const;
export type VictimField = (typeof VICTIM_FIELDS)[number];

const LIST_FIELDS: ReadonlySet<VictimField> = new Set([
  'citizenship',
  'exploitation',
  'meansOfControl',
  'recruiterRelationship',
]);

/** The taxonomy's code list of each field that has one (`GET /v1/taxonomy`). */
const CODE_LIST: Partial<Record<VictimField, string>> = {
  status: 'status',
  sex: 'sex',
  ageGroup: 'ageGroup',
  citizenship: 'country',
  exploitation: 'exploitation',
  countryOfRecruitment: 'country',
  assistance: 'yesNo',
  reflectionPeriod: 'yesNo',
  residencePermit: 'yesNo',
  meansOfControl: 'meansOfControl',
  recruiterRelationship: 'recruiterRelationship',
  labourSector: 'labourSector',
};

export interface Option {
  readonly value: string;
  readonly label: string;
}

export type EntryField =
  | {
      readonly type: 'choice';
      readonly canonical: VictimField;
      readonly source: string;
      readonly options: readonly Option[];
      readonly multiple: boolean;
    }
  | {
      readonly type: 'number';
      readonly canonical: VictimField;
      readonly source: string;
      readonly transform: string;
    }
  | {
      readonly type: 'text';
      readonly canonical: VictimField;
      readonly source: string;
      readonly multiple: boolean;
    }
  | {
      readonly type: 'flags';
      readonly canonical: VictimField;
      readonly flags: readonly { readonly source: string; readonly code: string }[];
      readonly truthy: string;
    }
  | { readonly type: 'fixed'; readonly canonical: VictimField; readonly value: string };

type Rule = Readonly<Record<string, unknown>>;
type CodeLists = Readonly<Record<string, Readonly<Record<string, string>>>>;

const asRecord = (value: unknown): Rule =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rule) : {};

/** The form's fields for a victim record under `mapping`, with the taxonomy's code lists for labels. */
export function entryFields(mapping: unknown, codeLists: CodeLists): EntryField[] {
  const doc = asRecord(mapping);
  const fields = asRecord(doc.fields);
  const victim = asRecord(asRecord(doc.kinds).victim);
  return VICTIM_FIELDS.map((canonical): EntryField => {
    const rule = asRecord(victim[canonical] ?? fields[canonical]);
    const multiple = LIST_FIELDS.has(canonical);
    const codes = CODE_LIST[canonical] === undefined ? undefined : codeLists[CODE_LIST[canonical]];
    const codeOptions = (): Option[] =>
      Object.entries(codes ?? {})
        .filter(([code]) => code !== 'UNK')
        .map(([value, label]) => ({ value, label: `${label} (${value})` }));
    if ('const' in rule) return { type: 'fixed', canonical, value: JSON.stringify(rule.const) };
    if ('flags' in rule) {
      const truthy = Array.isArray(rule.truthy) && typeof rule.truthy[0] === 'string' ? rule.truthy[0] : '1';
      return {
        type: 'flags',
        canonical,
        truthy,
        flags: Object.entries(asRecord(rule.flags)).map(([source, code]) => ({ source, code: String(code) })),
      };
    }
    const from = rule.from;
    const source =
      typeof from === 'string'
        ? from
        : Array.isArray(from) && typeof from[0] === 'string'
          ? from[0]
          : canonical === 'ageGroup' && !('from' in rule)
            ? 'age'
            : canonical;
    const transform = typeof rule.transform === 'string' ? rule.transform : undefined;
    if (transform === 'age' || transform === 'birthYear' || (canonical === 'ageGroup' && source === 'age'))
      return { type: 'number', canonical, source, transform: transform ?? 'age' };
    const values = asRecord(rule.values);
    if (Object.keys(values).length > 0) {
      const passthrough = rule.passthrough === true;
      const own = Object.keys(values).map((value) => ({ value, label: value }));
      return {
        type: 'choice',
        canonical,
        source,
        multiple,
        options: passthrough ? [...own, ...codeOptions().filter((o) => !(o.value in values))] : own,
      };
    }
    if (codes !== undefined && transform === undefined)
      return { type: 'choice', canonical, source, multiple, options: codeOptions() };
    return { type: 'text', canonical, source, multiple };
  });
}

/** The record's `fields` from the form's values: list fields as JSON lists, empty entries left out. */
export function fieldsOf(
  entry: readonly EntryField[],
  read: (name: string) => readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of entry) {
    switch (field.type) {
      case 'fixed':
        break;
      case 'flags':
        for (const { source } of field.flags) if (read(source).length > 0) out[source] = field.truthy;
        break;
      case 'number': {
        const [value] = read(field.source);
        if (value !== undefined && value.trim() !== '') out[field.source] = Number(value);
        break;
      }
      case 'choice':
      case 'text': {
        const values = read(field.source)
          .flatMap((v) => (field.type === 'text' && field.multiple ? v.split(/[;,]/) : [v]))
          .map((v) => v.trim())
          .filter((v) => v !== '');
        if (values.length > 0) out[field.source] = field.multiple ? values : values[0];
        break;
      }
    }
  }
  return out;
}
