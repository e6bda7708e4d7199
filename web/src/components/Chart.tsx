/**
 * A chart drawn by Observable Plot into the page as SVG. Plot is loaded on first use, so pages without a chart do
 * not pay for it. Plot puts a `<style>` element into each chart, which the app's Content-Security-Policy
 * (`style-src 'self'`) refuses; it is removed before the chart enters the document, and its few rules are in
 * styles.css under the class `mosy-plot`. Every chart has a table with the same numbers beside it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Plot from '@observablehq/plot';
import { useI18n } from '../i18n/index.js';

export type PlotModule = typeof Plot;
/** The class of every chart: `className: PLOT_CLASS` in Plot's options. */
export const PLOT_CLASS = 'mosy-plot';

export function Chart({ draw, label }: { draw: (plot: PlotModule) => Element; label: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import('@observablehq/plot')
      .then((plot) => {
        const target = ref.current;
        if (!live || target === null) return;
        const chart = draw(plot);
        for (const style of chart.querySelectorAll('style')) style.remove();
        // Plot names its groups of marks with aria-label, which ARIA does not allow on an element without a role;
        // the chart is one image with a label, and the table beside it is the accessible reading.
        for (const named of chart.querySelectorAll('[aria-label]')) named.removeAttribute('aria-label');
        const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
        svg?.setAttribute('role', 'img');
        svg?.setAttribute('aria-label', label);
        target.replaceChildren(chart);
        target.dataset.drawn = 'true';
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [draw, label]);
  return (
    <figure class="chart">
      <div ref={ref} />
      {failed ? <p class="error">{t.reports.chartFailed}</p> : null}
    </figure>
  );
}
