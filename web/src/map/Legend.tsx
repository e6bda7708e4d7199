/**
 * The map's legend: one swatch per class with its range of values, zero, and — whenever anything is withheld — the
 * hatched swatch "fewer than the threshold". The class bounds are on the list (`data-breaks`) so a test, or a
 * reader, can recompute any region's class from its number. In the flow view it also explains the lines.
 */
import { useI18n } from '../i18n/index.js';
import { classRanges } from './class-breaks.js';

export interface LegendProps {
  readonly bounds: readonly number[];
  readonly threshold?: number;
  readonly unit: string;
  readonly flows: boolean;
  readonly format: (value: number) => string;
}

export const fill = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

export function Legend({ bounds, threshold, unit, flows, format }: LegendProps) {
  const { t } = useI18n();
  const withheld =
    threshold === undefined ? undefined : fill(t.map.withheld, { threshold: format(threshold) });
  return (
    <div class="legend">
      <h2 id="map-legend">{t.map.legend}</h2>
      <p class="unit">{fill(t.map.unit, { unit })}</p>
      <ul aria-labelledby="map-legend" data-breaks={bounds.join(',')}>
        {classRanges(bounds)
          .reverse()
          .map(({ cls, from, to }) => (
            <li key={cls} data-class={cls}>
              <span class={`swatch ${cls}`} aria-hidden="true" />
              {to === undefined
                ? `≥ ${format(from)}`
                : from === to
                  ? format(from)
                  : `${format(from)}–${format(to)}`}
            </li>
          ))}
        <li data-class="zero">
          <span class="swatch zero" aria-hidden="true" />
          {t.map.zero}
        </li>
        {withheld === undefined ? null : (
          <li data-class="withheld">
            <span class="swatch withheld" aria-hidden="true" />
            {withheld}
          </li>
        )}
      </ul>
      {flows ? (
        <ul class="flow-legend">
          <li>
            <span class="swatch flow" aria-hidden="true" />
            {t.map.flowWidth}
          </li>
          {threshold === undefined ? null : (
            <li>
              <span class="swatch flow withheld" aria-hidden="true" />
              {fill(t.map.withheldFlow, { threshold: format(threshold) })}
            </li>
          )}
        </ul>
      ) : null}
    </div>
  );
}
