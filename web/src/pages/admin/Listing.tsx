/**
 * The admin lists' shared parts: the loading and error states of a list fetched from the API, and a table with a
 * header row of column names.
 */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../../i18n/index.js';

/** Renders `children` with the list once it is loaded; says it is loading, or that it failed with a retry button. */
export function Loaded<T>({
  value,
  onRetry,
  children,
}: {
  value: T | 'loading' | 'error';
  onRetry: () => void;
  children: (value: T) => ComponentChildren;
}) {
  const { t } = useI18n();
  if (value === 'loading') return <p role="status">{t.loading}</p>;
  if (value === 'error')
    return (
      <p role="alert" class="error">
        {t.loadFailed}{' '}
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      </p>
    );
  return <>{children(value)}</>;
}

export interface Column {
  readonly label: string;
  /** Right-aligned, for numbers. */
  readonly number?: boolean;
  /** Named for screen readers only (a column of buttons). */
  readonly hidden?: boolean;
}

/** A `listing` table (`data-table` = `name`) with a header row; `children` are its body rows. */
export function ListingTable({
  name,
  columns,
  children,
}: {
  name: string;
  columns: readonly Column[];
  children: ComponentChildren;
}) {
  return (
    <table class="listing" data-table={name}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col" class={c.number === true ? 'number' : undefined}>
              {c.hidden === true ? <span class="visually-hidden">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
