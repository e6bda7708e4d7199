/**
 * The context chart: each rate ratio as a point with its 95 % confidence interval on a logarithmic axis, with the
 * line of no difference at 1 (a "forest plot"). Scales and ticks come from d3-scale; the marks are plain SVG
 * elements styled by class, since the page's Content-Security-Policy allows no inline styles (which Observable
 * Plot writes). Each row carries its numbers (`data-ratio`, `data-lower`, `data-upper`) for tests and readers.
 */
import { scaleLog } from 'd3-scale';
import { useI18n } from '../i18n/index.js';
import { fill } from './Legend.js';
import type { ContextAnswer } from './spatial.js';

const WIDTH = 320;
const ROW = 34;
const LEFT = 8;
const RIGHT = 12;
const TOP = 8;
const AXIS = 22;
/** Ticks of the log axis: d3's own would label every unit between the powers of ten. */
const TICKS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20];

export function RateRatioChart({ ratios }: { readonly ratios: ContextAnswer['rateRatios'] }) {
  const { t, formatNumber } = useI18n();
  const shown = ratios.filter((r) => r.ratio !== null && r.lower !== null && r.upper !== null);
  const round = (n: number) => formatNumber(Math.round(n * 100) / 100);
  const lows = shown.map((r) => r.lower ?? 1);
  const highs = shown.map((r) => r.upper ?? 1);
  const x = scaleLog()
    .domain([Math.min(0.5, ...lows) * 0.9, Math.max(2, ...highs) * 1.1])
    .range([LEFT, WIDTH - RIGHT])
    .nice();
  const height = TOP + shown.length * ROW + AXIS;
  const label = (r: (typeof shown)[number]) =>
    fill(t.spatial.ratioLabel, { group: r.group, reference: r.reference });
  return (
    <figure class="rate-ratios">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="rate-ratio-desc">
        <desc id="rate-ratio-desc">{t.spatial.contextIntro}</desc>
        <line class="no-difference" x1={x(1)} x2={x(1)} y1={TOP} y2={height - AXIS} />
        {shown.map((r, k) => {
          const y = TOP + k * ROW + ROW * 0.7;
          return (
            <g
              key={`${r.typology}-${r.group}`}
              class="ratio"
              data-typology={r.typology}
              data-group={r.group}
              data-ratio={r.ratio ?? ''}
              data-lower={r.lower ?? ''}
              data-upper={r.upper ?? ''}
            >
              <text class="ratio-label" x={LEFT} y={y - 12}>
                {label(r)}
              </text>
              <line class="interval" x1={x(r.lower ?? 1)} x2={x(r.upper ?? 1)} y1={y} y2={y} />
              <circle class="point" cx={x(r.ratio ?? 1)} cy={y} r={4} />
            </g>
          );
        })}
        <g class="axis">
          {TICKS.filter((tick) => tick >= x.domain()[0]! && tick <= x.domain()[1]!).map((tick) => (
            <text key={tick} x={x(tick)} y={height - 6} text-anchor="middle">
              {formatNumber(tick)}
            </text>
          ))}
        </g>
      </svg>
      <figcaption>
        <ul>
          {shown.map((r) => (
            <li key={`${r.typology}-${r.group}`}>
              {label(r)}:{' '}
              {fill(t.spatial.ratioValue, {
                ratio: round(r.ratio ?? 1),
                lower: round(r.lower ?? 1),
                upper: round(r.upper ?? 1),
              })}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
