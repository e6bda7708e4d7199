/**
 * A select with its visible label, in the two layouts the forms use: with an `id`, a `.field` block whose label
 * names the select by `for` (the report builder); without, a label wrapping the select (the map's control bar).
 */
import type { ComponentChildren } from 'preact';

export interface SelectOption {
  readonly value: string | number;
  readonly label: string;
}

export function LabelledSelect({
  label,
  name,
  id,
  value,
  options,
  onChange,
  disabled,
  children,
}: {
  label: string;
  name: string;
  id?: string;
  value: string | number;
  options: readonly SelectOption[];
  onChange: (value: string) => void;
  disabled?: boolean;
  /** Further options after `options` (e.g. `optgroup`s). */
  children?: ComponentChildren;
}) {
  const select = (
    <select
      id={id}
      name={name}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value)}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {children}
    </select>
  );
  return id === undefined ? (
    <label>
      {label}
      {select}
    </label>
  ) : (
    <div class="field">
      <label for={id}>{label}</label>
      {select}
    </div>
  );
}
