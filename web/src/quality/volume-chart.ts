/** The chart of a provider's volume of current records per period, one line per kind. */
import { PLOT_CLASS, type PlotModule } from '../components/Chart.js';
import type { ProviderQuality } from './types.js';

export function drawVolume(plot: PlotModule, provider: ProviderQuality, locale: string) {
  const points = provider.volume
    .filter((v) => !v.period.endsWith('-unspecified'))
    .map((v) => ({ kind: v.kind, period: v.period, value: v.records.value }));
  return plot.plot({
    className: PLOT_CLASS,
    width: 760,
    marginBottom: 60,
    marginRight: 90,
    style: { fontSize: '12px' },
    x: { type: 'point', label: null, tickRotate: -40 },
    y: { grid: true, label: null, zero: true, tickFormat: (n: number) => n.toLocaleString(locale) },
    marks: [
      plot.ruleY([0]),
      plot.line(points, { x: 'period', y: 'value', z: 'kind', stroke: 'kind', marker: 'circle' }),
      plot.text(
        points.filter((p) => p.value !== null),
        plot.selectLast({
          x: 'period',
          y: 'value',
          z: 'kind',
          text: 'kind',
          fill: 'kind',
          dx: 6,
          textAnchor: 'start',
        }),
      ),
    ],
  });
}
