import { ClickHouseError } from '@clickhouse/client';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { ClickHouseConnection, rowsOf, serverCodeOf, toStoreError } from './connection.js';

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

  it('takes an error written as a JSON line after the first rows for the server error it is', () => {
    // As current servers answer it (http_write_exception_in_output_format, on by default): valid JSON, not a row.
    const text =
      '{"n":"1"}\n{"exception":"Code: 241. DB::Exception: Memory limit exceeded. (MEMORY_LIMIT_EXCEEDED)"}\n';
    expect(() => rowsOf({ status: 200, text }, 'select')).toThrow(
      new MosyError(
        'unavailable',
        'ClickHouse (select): HTTP 200: Code: 241. DB::Exception: Memory limit exceeded. (MEMORY_LIMIT_EXCEEDED)',
      ),
    );
    // A row with more columns than `exception` is a row.
    expect(rowsOf({ status: 200, text: '{"exception":"x","n":"1"}\n' }, 'select')).toEqual([
      { exception: 'x', n: '1' },
    ]);
  });

  it('reads an error of several lines whole, and classes it by its first', () => {
    const text =
      '{"n":"1"}\nCode: 241, e.displayText() = DB::Exception: Memory limit exceeded\n0. stack frame\n1. syntax error here\n';
    expect(() => rowsOf({ status: 200, text }, 'select')).toThrow(
      new MosyError(
        'unavailable',
        'ClickHouse (select): HTTP 200: Code: 241, e.displayText() = DB::Exception: Memory limit exceeded\n0. stack frame\n1. syntax error here',
      ),
    );
  });
});

/**
 * A server that answers every statement with one row and keeps idle connections 10 s, as the local 18.16 does; with
 * the sockets it accepted and, in order, those its SELECTs came on.
 */
async function oneRowServer(): Promise<{
  readonly url: string;
  readonly sockets: Set<Socket>;
  readonly selects: Socket[];
  /** The User-Agent of every request, in order. */
  readonly agents: (string | undefined)[];
  readonly close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const selects: Socket[] = [];
  const agents: (string | undefined)[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    agents.push(request.headers['user-agent']);
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (body.startsWith('SELECT')) selects.push(request.socket);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body.startsWith('SELECT') ? '{"one":1}\n' : '');
    });
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    selects,
    agents,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('select', () => {
  it('sends a statement again when its kept socket was closed by the server just before', async () => {
    const server = await oneRowServer();
    const connection = await ClickHouseConnection.open({ url: server.url, database: 'stale_sockets' });
    try {
      expect(await connection.select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      // The server drops its kept sockets and, in the same turn of the event loop (before the client can see it),
      // the next statement goes out on the kept one: it fails with ECONNRESET and is sent again on a new socket.
      for (const socket of server.sockets) socket.destroy();
      expect(await connection.select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(server.selects).toHaveLength(2);
      expect(server.selects[1]).not.toBe(server.selects[0]);
    } finally {
      await connection.close();
      await server.close();
    }
  });

  it('names itself to the server, and refuses statements once closed', async () => {
    const server = await oneRowServer();
    const connection = await ClickHouseConnection.open({ url: server.url, database: 'named_requests' });
    try {
      await connection.select('SELECT 1 AS one');
      await connection.selectWith({ name: 'k', columns: 'n UInt8', rows: [{ n: 1 }] }, 'SELECT 1 AS one');
      const ours = server.agents.slice(-2);
      expect(ours).toEqual([`mosy node/${process.versions.node}`, `mosy node/${process.versions.node}`]);
    } finally {
      await connection.close();
    }
    const sent = server.agents.length;
    await expect(connection.select('SELECT 1 AS one')).rejects.toThrow(
      new MosyError('unavailable', 'ClickHouse (select): the connection is closed'),
    );
    await expect(
      connection.selectWith({ name: 'k', columns: 'n UInt8', rows: [{ n: 1 }] }, 'SELECT 1 AS one'),
    ).rejects.toThrow(/the connection is closed/);
    expect(server.agents).toHaveLength(sent);
    await server.close();
  });

  it('closes a socket left unused for 2.5 s, before a server that keeps it 10 s would', async () => {
    const server = await oneRowServer();
    const { selects } = server;
    const connection = await ClickHouseConnection.open({ url: server.url, database: 'idle_sockets' });
    try {
      expect(await connection.select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await connection.select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 2700));
      expect(await connection.select('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      // The first two on one kept socket, the third on a new one.
      expect(selects[1]).toBe(selects[0]);
      expect(selects[2]).not.toBe(selects[0]);
      expect(selects[0]!.destroyed).toBe(true);
    } finally {
      await connection.close();
      await server.close();
    }
  });
});
