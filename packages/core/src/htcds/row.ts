/**
 * One HTCDS row (a CSV line with HTCDS column names, or a row of IOM's Excel template) as a MoSy submitted record:
 * a `victim` record whose fields are the row's HTCDS cells, whose identity is the person's names and birth date
 * (used by the normalizer for the pseudonym, then dropped), and whose envelope comes from optional MoSy columns —
 * `recordId`, `version`, `action`, `referenceDate` — since the standard has no record id or version. Without them:
 * the record id is the row's number in the file (`row-7`), the version 1, the action `upsert`, and the reference
 * date the case's `cas_IncomingReferralDate` (when the organisation took the case on). A row that gives none of
 * these is still turned into a record, and the record validation says what is missing.
 */
import { normalizeDateOfBirth } from '../pseudonym/identity.js';
import { DROPPED, FIELD_ALIASES, IDENTITY_COLUMNS, OTHER_TABLE_FIELDS } from './vocabulary.js';
import { HTCDS_SOURCES } from './mapping.js';

/** The MoSy envelope columns an HTCDS file may add. */
export const HTCDS_ENVELOPE_COLUMNS = ['recordId', 'version', 'action', 'referenceDate'] as const;

const HTCDS_FIELDS: ReadonlySet<string> = new Set([
  ...Object.values(HTCDS_SOURCES),
  ...Object.keys(DROPPED),
  ...OTHER_TABLE_FIELDS,
]);

const IDENTITY_FIELDS: ReadonlySet<string> = new Set(Object.values(IDENTITY_COLUMNS).flat());

/** The standard's name of a column (an alias from IOM's template or XLSForm resolved), or undefined. */
export function htcdsColumn(name: string): string | undefined {
  const canonical = FIELD_ALIASES[name] ?? name;
  return HTCDS_FIELDS.has(canonical) ? canonical : undefined;
}

/** Whether a column may appear in an HTCDS file: an HTCDS field (or alias) or a MoSy envelope column. */
export const isHtcdsFileColumn = (name: string): boolean =>
  htcdsColumn(name) !== undefined || (HTCDS_ENVELOPE_COLUMNS as readonly string[]).includes(name);

/**
 * The submitted record of one row. `row` maps column names (HTCDS or envelope) to cell text; empty cells are
 * absent. `rowNumber` names the record when the file has no `recordId` column.
 */
export function htcdsRowToRecord(
  row: Readonly<Record<string, string>>,
  rowNumber: number,
): Record<string, unknown> {
  const fields: Record<string, string> = {};
  const envelope: Record<string, string> = {};
  for (const [column, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (value === '') continue;
    const field = htcdsColumn(column);
    if (field === undefined) envelope[column] = value;
    // prs_Birthdate is both identity and the source of the age group.
    else if (!IDENTITY_FIELDS.has(field) || field === HTCDS_SOURCES.ageGroup) fields[field] = value;
  }
  const cell = (column: string): string | undefined => {
    for (const [name, raw] of Object.entries(row))
      if ((htcdsColumn(name) ?? name) === column && raw.trim() !== '') return raw.trim();
    return undefined;
  };
  const identity: Record<string, string> = {};
  for (const [part, columns] of Object.entries(IDENTITY_COLUMNS)) {
    const value = columns
      .map(cell)
      .filter((v) => v !== undefined)
      .join(' ');
    if (value !== '') identity[part] = value;
  }
  const referral = cell('cas_IncomingReferralDate');
  const version = envelope.version;
  return {
    recordId: envelope.recordId ?? `row-${rowNumber}`,
    version: version === undefined ? 1 : /^\d+$/.test(version) ? Number(version) : version,
    action: envelope.action ?? 'upsert',
    kind: 'victim',
    ...(envelope.referenceDate !== undefined
      ? { referenceDate: envelope.referenceDate }
      : referral !== undefined
        ? { referenceDate: normalizeDateOfBirth(referral) ?? referral }
        : {}),
    fields,
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
  };
}
