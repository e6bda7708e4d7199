/**
 * The report's chart, drawn by Observable Plot from the published cells (withheld ones left out): lines over the
 * periods, one per combination of the other variables, when the report has a period; otherwise horizontal bars,
 * one per cell.
 */
import { PLOT_CLASS, type PlotModule } from '../components/Chart.js';
import type { PublishedTable } from './crosstab.js';

interface Point {
  readonly label: string;
  readonly period: string;
  /** `null` where withheld: the line breaks there rather than joining its neighbours. */
  readonly value: number | null;
}

export function drawReport(
  plot: PlotModule,
  table: PublishedTable,
  labelOf: (dim: string, code: string) => string,
  locale: string,
): SVGSVGElement | HTMLElement {
  const others = table.dims.filter((d) => d !== 'period');
  const all: Point[] = table.cells.map((cell) => ({
    label: others.map((d) => labelOf(d, cell.key[d] ?? '')).join(' · ') || '—',
    period: cell.key.period ?? '',
    value: cell.value,
  }));
  // Records dated less precisely than the interval (`2024-unspecified`) are in the table, not on a time axis.
  const series = all
    .filter((p) => !p.period.endsWith('-unspecified'))
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const points = all.filter((p) => p.value !== null);
  const common = { className: PLOT_CLASS, width: 760, style: { fontSize: '12px' } } as const;
  if (table.dims.includes('period'))
    return plot.plot({
      ...common,
      marginRight: 140,
      x: { type: 'point', label: null, tickRotate: -40 },
      marginBottom: 60,
      y: { grid: true, label: null, zero: true, tickFormat: (n: number) => n.toLocaleString(locale) },
      color: { type: 'categorical' },
      marks: [
        plot.ruleY([0]),
        plot.line(series, { x: 'period', y: 'value', z: 'label', stroke: 'label', marker: 'circle' }),
        plot.text(
          series.filter((p) => p.value !== null),
          plot.selectLast({
            x: 'period',
            y: 'value',
            z: 'label',
            text: 'label',
            fill: 'label',
            dx: 6,
            textAnchor: 'start',
          }),
        ),
      ],
    });
  return plot.plot({
    ...common,
    marginLeft: 220,
    height: Math.max(120, points.length * 22 + 40),
    x: { grid: true, label: null, tickFormat: (n: number) => n.toLocaleString(locale) },
    y: { label: null, domain: points.map((p) => p.label) },
    marks: [plot.barX(points, { x: 'value', y: 'label', fill: '#0b5cad' }), plot.ruleX([0])],
  });
}
