export function sdmxCsv(_report: unknown): string {
  return '';
}
