import { ClickHouseError } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { toStoreError } from './connection.js';

describe('toStoreError', () => {
  it('takes the server code from an 18.16 error the client left unparsed', () => {
    // As @clickhouse/client throws them for ClickHouse 18.16 (checked against the local server).
    const refused = new Error(
      'Code: 43, e.displayText() = DB::Exception: Illegal types String and UInt8 of arguments of function plus',
    );
    expect(toStoreError(refused, 'query').code).toBe('internal');
    const missing = new Error(
      'Code: 60, e.displayText() = DB::Exception: Table mosy.rolling_cells_x does not exist.',
    );
    expect(toStoreError(missing, 'apply').code).toBe('unavailable');
  });

  it('takes the code of a parsed server error, and counts anything else as unreachable', () => {
    const parsed = new ClickHouseError({ message: 'bad', code: '43', type: 'ILLEGAL_TYPE_OF_ARGUMENT' });
    expect(toStoreError(parsed, 'query').code).toBe('internal');
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toStoreError(reset, 'query').code).toBe('unavailable');
  });
});
