/** The volume of current records per period and kind: a chart and its table. */
import { useCallback } from 'preact/hooks';
import { Chart, type PlotModule } from '../components/Chart.js';
import { drawVolume } from './volume-chart.js';
import { Count } from './Count.js';
import { useQualityFormat } from './quality-format.js';
import type { SectionProps } from './types.js';

export function VolumeSection({ provider, subject }: SectionProps) {
  const { t, m, locale, kindName } = useQualityFormat();
  const kinds = [...new Set(provider.volume.map((v) => v.kind))];
  const periods = [...new Set(provider.volume.map((v) => v.period))].sort();
  const volumeOf = new Map(provider.volume.map((v) => [`${v.kind}|${v.period}`, v.records.value]));
  const draw = useCallback((plot: PlotModule) => drawVolume(plot, provider, locale), [provider, locale]);
  return (
    <>
      <h3>{m.volume}</h3>
      <p class="hint">{m.volumeHint}</p>
      {provider.volume.length === 0 ? (
        <p>{m.noRecords}</p>
      ) : (
        <>
          <Chart draw={draw} label={m.volumeChart} />
          <div class="table-scroll" tabIndex={0} role="region" aria-label={m.volume}>
            <table class="report" data-quality-table="volume">
              <caption>{m.volume}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.reports.dims.period}</th>
                  {kinds.map((kind) => (
                    <th scope="col" class="number" key={kind}>
                      {kindName(kind)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {periods.map((period) => (
                  <tr key={period}>
                    <th scope="row">{period}</th>
                    {kinds.map((kind) => {
                      const value = volumeOf.get(`${kind}|${period}`);
                      return value === undefined ? (
                        <td class="number empty" key={kind}>
                          –
                        </td>
                      ) : (
                        <Count
                          key={kind}
                          subject={subject}
                          cell={{ measure: 'volume', kind, period }}
                          value={value}
                        />
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
