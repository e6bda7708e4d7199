/**
 * One ad-hoc indicator query, `GET /v1/indicators/:id/values`: the cells of the chosen breakdowns and the total,
 * as the query model answers them. Analysts get them through the deployment's ad-hoc method — by default the cell
 * key method, whose published value depends only on the set of records counted, so overlapping queries cannot be
 * subtracted to reveal a small count — and coordinators may ask for `protection=none` (audited).
 */
import type { Request } from 'express';
import type { DisclosureInfo, ProtectedResult } from '@mosy/core';
import { publishConsistent } from './consistent.js';
import { parseReport, type ReportContext } from './context.js';
import { unitOf } from './body.js';
import { protectOnce } from './protect-once.js';

export interface ValuesReport {
  readonly indicator: string;
  readonly unit: 'persons' | 'records' | 'cases';
  /** One per cell: its codes by dimension, `period` with an interval, the value (`null` withheld) and flag. */
  readonly cells: readonly Readonly<Record<string, string | number | null>>[];
  /** `null` when withheld, with `totalFlag: 'c'`. */
  readonly total: number | null;
  readonly totalFlag?: 'c';
  readonly disclosure: DisclosureInfo;
}

/** Answers an indicator values request. */
export async function indicatorValues(ctx: ReportContext, req: Request): Promise<ValuesReport> {
  const { indicator, query, protection } = await parseReport(ctx, req);
  const mode = protection === 'none' ? 'none' : ctx.disclosure.adHoc;
  const published = await publishConsistent(
    () => ctx.store.query(mode === 'perturb' ? { ...query, keySums: true } : query),
    (result) => protectOnce(result, mode, ctx.disclosure.threshold),
  );
  return {
    indicator: indicator.id,
    unit: unitOf(indicator, query),
    cells: cellsOf(published),
    total: published.total.value,
    ...(published.total.flag === undefined ? {} : { totalFlag: published.total.flag }),
    disclosure: published.disclosure,
  };
}

/**
 * The published cells as the report lists them: codes by dimension, `period`, `value` and `flag`, in that order.
 * Kept per protected result, which `protectOnce` keeps per store result: reads of unchanged data answer the same
 * list, and a catalogue table of hundreds of cells took a millisecond to spread out again on every read.
 */
const listed = new WeakMap<ProtectedResult, ValuesReport['cells']>();

function cellsOf(published: ProtectedResult): ValuesReport['cells'] {
  let cells = listed.get(published);
  if (cells === undefined) {
    cells = published.cells.map((cell) => {
      const listedCell: Record<string, string | number | null> = {};
      for (const [dim, code] of Object.entries(cell.key)) listedCell[dim] = code;
      if (cell.period !== undefined) listedCell.period = cell.period;
      listedCell.value = cell.value;
      if (cell.flag !== undefined) listedCell.flag = cell.flag;
      return listedCell;
    });
    listed.set(published, cells);
  }
  return cells;
}
