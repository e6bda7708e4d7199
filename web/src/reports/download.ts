/**
 * Downloads a report as the API renders it (`format=csv` or `sdmx-csv`): fetched through the typed client, so an
 * error (an SDMX-CSV frame that is not one year, quarter or month, say) is shown in the page rather than saved
 * as a file, and handed to the browser as a file with the server's name for it.
 */
import { client, failure } from '../api.js';

export type DownloadFormat = 'csv' | 'sdmx-csv';

export async function downloadReport(
  family: 'simple' | 'time-frame',
  indicator: string,
  query: Readonly<Record<string, string>>,
  format: DownloadFormat,
): Promise<void> {
  const options = {
    params: { path: { id: indicator }, query: { ...query, format } },
    parseAs: 'text',
  } as const;
  const { data, error, response } =
    family === 'simple'
      ? await client.GET('/v1/reports/simple/{id}', options)
      : await client.GET('/v1/reports/time-frame/{id}', options);
  if (data === undefined) throw failure(response, error);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${family}-${indicator}.csv`;
  const url = URL.createObjectURL(new Blob([data], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = format === 'sdmx-csv' ? name.replace(/\.csv$/, '-sdmx.csv') : name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
