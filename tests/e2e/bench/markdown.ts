/** Markdown pieces of docs/benchmarks.md: numbers as the report writes them, tables, mermaid `xychart-beta` charts. */

export const n = (value: number) => (Number.isFinite(value) ? value.toLocaleString('en-GB') : '–');
export const ms = (value: number) => (Number.isFinite(value) ? `${value.toLocaleString('en-GB')} ms` : '–');
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–');
export const percent = (a: number, b: number) => (b > 0 ? `${Math.round((a / b) * 100)} %` : '–');
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
export const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function barChart(
  title: string,
  labels: readonly string[],
  values: readonly number[],
  axis: string,
): string {
  const max = Math.max(1, ...values) * 1.1;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "${axis}" 0 --> ${Math.ceil(max)}`,
    `  bar [${values.map((v) => Math.round(v)).join(', ')}]`,
    '```',
  ].join('\n');
}

export function lineChart(
  title: string,
  labels: readonly string[],
  series: readonly (readonly number[])[],
  axis: string,
): string {
  const max = Math.max(1, ...series.flat()) * 1.1;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "${axis}" 0 --> ${Math.ceil(max)}`,
    ...series.map((s) => `  line [${s.map((v) => Math.round(v * 10) / 10).join(', ')}]`),
    '```',
  ].join('\n');
}
