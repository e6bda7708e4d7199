/**
 * Which codes a table report is counted in: MoSy's, or Eurostat's groups when the answer is SDMX-CSV (so the
 * regrouped counts come from the store, distinct persons and all, and are protected as they are published).
 */
import type { Request } from 'express';
import { SDMX_RECODE } from '../formats/sdmx-csv.js';
import type { Recode } from './table.js';

export const recodeFor = (req: Request): Recode => (req.query.format === 'sdmx-csv' ? SDMX_RECODE : {});
