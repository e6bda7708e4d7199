/**
 * NUTS 2024 region names, read at run time from the geo data folder (`nuts/2024/nuts_regions_2024.csv`). The folder
 * is configured (by default `../shared/geo` next to the repository) and its files are never copied into the
 * repository: their licence forbids it. Without the folder, reports still work; they just carry no names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface RegionName {
  readonly id: string;
  readonly level: number;
  readonly name: string;
  readonly parent?: string;
}

export const NUTS_REGIONS_FILE = join('nuts', '2024', 'nuts_regions_2024.csv');

/** Loads the region names, or an empty list when the folder or file is absent. */
export function loadRegionNames(geoDir: string | undefined): RegionName[] {
  if (geoDir === undefined) return [];
  const file = join(geoDir, NUTS_REGIONS_FILE);
  if (!existsSync(file)) return [];
  const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true, bom: true });
  return rows.map((row) => ({
    id: row.id ?? '',
    level: Number(row.level),
    name: row.name_latn ?? '',
    ...(row.parent ? { parent: row.parent } : {}),
  }));
}
