/**
 * The path parameters and the observation shape that the quarterly exports and the hub share, so a quarter, a
 * revision and a published cell are validated and documented the same way on a national node and at the hub.
 */
import { z } from 'zod';

export const PERIOD = z
  .string()
  .regex(/^[0-9]{4}-Q[1-4]$/, { error: 'must be a quarter, YYYY-Qn (e.g. 2026-Q1)' })
  .meta({ description: 'The quarter, e.g. `2026-Q1`.' });

export const REVISION = z
  .string()
  .regex(/^[0-9]{1,4}$/, { error: 'must be a revision number (0 for the first version)' })
  .meta({ description: 'The revision: 0 for the first version, then 1, 2…' });

/** A published cell: its key, and its value or, withheld, null with flag `c`. */
export const ObservationSchema = z.strictObject({
  key: z.record(z.string(), z.string()),
  value: z.number().int().min(0).nullable(),
  flag: z.literal('c').optional(),
});
