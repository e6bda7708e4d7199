import { ClickHouseError } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { rowsOf, serverCodeOf, toStoreError } from './connection.js';

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

  it('retries a missing column only where the target of a view gained one', () => {
    const expected = new Error(
      'Code: 10, e.displayText() = DB::Exception: Expected column person_key_number',
    );
    expect(toStoreError(expected, 'apply').code).toBe('unavailable');
    const bug = new Error('Code: 10, e.displayText() = DB::Exception: Not found column k0 in block.');
    expect(toStoreError(bug, 'query').code).toBe('internal');
  });

  it('finds the server code through the store error a failure became', () => {
    const parsed = new ClickHouseError({
      message: 'Cannot add column x: already exists',
      code: '44',
      type: 'ILLEGAL_COLUMN',
    });
    expect(serverCodeOf(toStoreError(parsed, 'command'))).toBe('44');
    expect(serverCodeOf(toStoreError(new Error('Code: 44, e.displayText() = x'), 'command'))).toBe('44');
    expect(serverCodeOf(toStoreError(new Error('socket hang up'), 'command'))).toBeUndefined();
  });
});

describe('rowsOf', () => {
  it('reads JSONEachRow lines as rows', () => {
    expect(rowsOf({ status: 200, text: '{"n":"1"}\n{"n":"2"}\n' }, 'select')).toEqual([
      { n: '1' },
      { n: '2' },
    ]);
    expect(rowsOf({ status: 200, text: '' }, 'select')).toEqual([]);
  });

  it('takes an error sent after the first rows for the server error it is', () => {
    // As 18.16 answers a statement that fails once it has sent rows: status 200, the error last.
    const text = '{"n":"1"}\nCode: 241, e.displayText() = DB::Exception: Memory limit exceeded\n';
    const failure = (() => {
      try {
        rowsOf({ status: 200, text }, 'select');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(MosyError);
    expect((failure as MosyError).code).toBe('unavailable');
    expect((failure as MosyError).message).toBe(
      'ClickHouse (select): HTTP 200: Code: 241, e.displayText() = DB::Exception: Memory limit exceeded',
    );
  });
});
