/**
 * The connection to one ClickHouse database, shared by the indicator store, the registry and the intake ledger: an
 * HTTP client (`@clickhouse/client`) bound to the database, created if missing on open, and three operations —
 * `command` (DDL and mutations), `select` (rows as JSON objects, a plain HTTP request: see there) and `insert` (rows
 * as JSONEachRow, serialised by the client, so no value of an insert ever becomes SQL text) — plus `selectWith`, a
 * SELECT that can read a batch of values from an external table (ClickHouse's "external data", sent with the query)
 * instead of from SQL text. Every failure comes out as a `MosyError`: network trouble and server overload are
 * `unavailable` (retriable), anything else `internal`. ClickHouse answers 64-bit integers as JSON strings;
 * `@mosy/sql`'s row readers read them.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ClickHouseError, createClient, type ClickHouseClient } from '@clickhouse/client';
import { MosyError } from '@mosy/core';
import { sqlIdentifier } from '@mosy/sql';

export interface ClickHouseConnectionOptions {
  /** HTTP endpoint, e.g. `http://127.0.0.1:8123`. */
  readonly url: string;
  /** Database holding MoSy's tables; created if missing. A plain identifier (letters, digits, `_`). */
  readonly database: string;
  /** @defaultValue `default` */
  readonly username?: string;
  /** @defaultValue '' */
  readonly password?: string;
  /** Longest wait for one request, in milliseconds. @defaultValue 60_000 */
  readonly requestTimeoutMs?: number;
}

/** A row of a JSONEachRow result. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Server error codes worth retrying: the server is overloaded, short of memory or disk, read-only for now, or lost the
 * network mid-query, or the query was cancelled (ClickHouse's `ErrorCodes`: TIMEOUT_EXCEEDED,
 * TOO_MANY_SIMULTANEOUS_QUERIES, SOCKET_TIMEOUT, NETWORK_ERROR, MEMORY_LIMIT_EXCEEDED, CANNOT_ALLOCATE_MEMORY,
 * NOT_ENOUGH_SPACE, TABLE_IS_READ_ONLY, TOO_MANY_PARTS, UNKNOWN_STATUS_OF_INSERT, ALL_CONNECTION_TRIES_FAILED,
 * SYSTEM_ERROR, ABORTED, QUERY_WAS_CANCELLED, POCO_EXCEPTION), or misses a table (UNKNOWN_TABLE: the schema is being
 * changed, e.g. rolling tables dropped for a rebuild before their views, never the request's fault, so a batch is
 * retried rather than dead-lettered).
 */
const RETRIABLE_SERVER_CODES: ReadonlySet<string> = new Set([
  '60',
  '159',
  '173',
  '202',
  '209',
  '210',
  '236',
  '241',
  '242',
  '243',
  '252',
  '279',
  '319',
  '394',
  '425',
  '1000',
]);

/**
 * Whether a server error is worth retrying. NOT_FOUND_COLUMN_IN_BLOCK (10) only as "Expected column": an insert
 * whose view's target gained a column (migration 009 adds it, then replaces the view); otherwise it is a query's
 * own fault, and retrying it would block a partition for good.
 */
const retriableServerError = (code: string, message: string): boolean =>
  RETRIABLE_SERVER_CODES.has(code) || (code === '10' && message.includes('Expected column'));

/**
 * The ClickHouse error code of a failure: a ClickHouseError's, or the `Code: N` ClickHouse 18.16 words its errors
 * with (which the client leaves unparsed), looked for through MosyError causes; undefined when the server gave none.
 */
export function serverCodeOf(error: unknown): string | undefined {
  if (error instanceof ClickHouseError) return error.code;
  if (error instanceof MosyError) return serverCodeOf(error.cause);
  return error instanceof Error ? /^Code: (\d+)[,.]/.exec(error.message)?.[1] : undefined;
}

/** A server error answered over HTTP (`Code: N, e.displayText() = …`) as a MosyError. */
function serverError(status: number, body: string, what: string): MosyError {
  const code = /^Code: (\d+)/.exec(body)?.[1];
  // Without a ClickHouse error code the answer came from something in between (a proxy: 502, 503, 504).
  const retriable = code === undefined ? status > 500 : retriableServerError(code, body);
  return new MosyError(
    retriable ? 'unavailable' : 'internal',
    `ClickHouse (${what}): HTTP ${status}: ${body.trim().slice(0, 1000)}`,
  );
}

/** A client or server failure as a MosyError. */
export function toStoreError(error: unknown, what: string): MosyError {
  if (error instanceof MosyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const server = serverCodeOf(error);
  if (server !== undefined) {
    const code = retriableServerError(server, message) ? 'unavailable' : 'internal';
    return new MosyError(code, `ClickHouse (${what}): ${message}`, { cause: error });
  }
  // Anything else comes from the HTTP layer: refused or reset connections, timeouts, DNS.
  return new MosyError('unavailable', `ClickHouse unreachable (${what}): ${message}`, { cause: error });
}

/** An answer of the server over HTTP: its status and body. */
interface Answer {
  readonly status: number;
  readonly text: string;
}

/**
 * The rows of a JSONEachRow answer. A statement that fails after its first rows were sent answers 200 all the same,
 * its error after them in the body: on 18.16 a line that is not JSON; on current servers, whose
 * `http_write_exception_in_output_format` is on by default, a line `{"exception": "Code: …"}`, valid JSON that would
 * otherwise pass for a row (no statement of the store has a lone column of that name).
 */
export function rowsOf({ status, text }: Answer, what: string): Row[] {
  const rows: Row[] = [];
  const lines = text.split('\n');
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!;
    if (line === '') continue;
    try {
      rows.push(JSON.parse(line) as Row);
    } catch {
      // The error is the rest of the answer, however many lines it takes (a message with a stack trace).
      throw serverError(status, lines.slice(at).join('\n').trimEnd(), what);
    }
  }
  const failed = rows.at(-1);
  if (failed !== undefined && typeof failed.exception === 'string' && Object.keys(failed).length === 1) {
    throw serverError(status, failed.exception, what);
  }
  return rows;
}

/**
 * How long a socket of `select` stays open unused: as the client's `idle_socket_ttl`, below ClickHouse's default
 * `keep_alive_timeout` (3 s), so that the server never closes a socket as a statement is sent on it (a read then
 * failed with "other side closed"). Node closes sockets sooner when the server announces a shorter timeout.
 */
const IDLE_SOCKET_MS = 2500;

/**
 * Most sockets `select` opens at once, as the client's `max_open_connections`; more statements wait for one. Without
 * a bound, a report's parts read at once opened a socket each, and 18.16 closed some ("other side closed").
 */
const MAX_SOCKETS = 10;

/** An attempt of `select` on a kept socket the server had closed (`#request`). */
const STALE = Symbol('stale socket');

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How the store's own requests name themselves to the server (`http_user_agent` in `system.query_log`). */
const USER_AGENT = `mosy node/${process.versions.node}`;

/** What a request outside the client needs: the endpoint, the credentials, the timeout. */
interface Endpoint {
  readonly url: string;
  readonly authorization: string;
  readonly timeoutMs: number;
}

export class ClickHouseConnection {
  #closing: Promise<void> | undefined;

  private constructor(
    private readonly client: ClickHouseClient,
    /** The database name, checked to be a plain identifier. */
    readonly database: string,
    private readonly endpoint: Endpoint,
    /** The sockets `select` keeps open (`IDLE_SOCKET_MS`). */
    private readonly sockets: HttpAgent = new (new URL(endpoint.url).protocol === 'https:'
      ? HttpsAgent
      : HttpAgent)({
      keepAlive: true,
      timeout: IDLE_SOCKET_MS,
      maxSockets: MAX_SOCKETS,
    }),
  ) {}

  /** Connects, creating the database if it does not exist. Fails with `unavailable` when the server is down. */
  static async open(options: ClickHouseConnectionOptions): Promise<ClickHouseConnection> {
    if (!PLAIN_NAME.test(options.database)) {
      throw new MosyError('internal', 'the ClickHouse database name must be a plain identifier');
    }
    const database = sqlIdentifier(options.database);
    const settings = {
      url: options.url,
      username: options.username ?? 'default',
      password: options.password ?? '',
      request_timeout: options.requestTimeoutMs ?? 60_000,
      application: 'mosy',
    };
    // The database must exist before a client may name it, so the first statement goes through the default one.
    const bootstrap = createClient(settings);
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    } catch (error) {
      throw toStoreError(error, 'create database');
    } finally {
      await bootstrap.close();
    }
    return new ClickHouseConnection(createClient({ ...settings, database }), database, {
      url: settings.url,
      authorization: `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`,
      timeoutMs: settings.request_timeout,
    });
  }

  /** Runs a statement that returns no rows (DDL, ALTER, OPTIMIZE). */
  async command(sql: string): Promise<void> {
    try {
      await this.client.command({ query: sql });
    } catch (error) {
      throw toStoreError(error, 'command');
    }
  }

  /**
   * Runs a SELECT and returns its rows. A plain HTTP request (the statement as the body) on sockets of its own: through
   * the client, a small statement took about 1.6 ms more per round trip (p50 2.4–2.6 against 0.8–1.0 ms for
   * `SELECT 1` on loopback, 18.16; `fetch` 1.1–1.3 ms), and a catalogue read right after a write takes two of them.
   */
  async select(sql: string): Promise<Row[]> {
    return rowsOf(await this.#request(sql, 'select'), 'select');
  }

  /** Runs a SELECT … WITH TOTALS and returns its rows and its totals row (absent for a statement without one). */
  async selectWithTotals(sql: string): Promise<{ rows: Row[]; totals: Row | undefined }> {
    try {
      // JSONEachRow leaves the totals row out; JSON carries it as `totals`.
      const result = await this.client.query({ query: sql, format: 'JSON' });
      const answer = await result.json<Row>();
      return { rows: answer.data, totals: answer.totals };
    } catch (error) {
      throw toStoreError(error, 'select');
    }
  }

  /**
   * Runs a SELECT that reads `rows` from the table `table.name` (`table.columns` is its column list), sent with the
   * query as ClickHouse's external data: the rows go as JSONEachRow, so a batch of any size and any characters never
   * becomes SQL text, and the whole lookup is one request. The client has no way to send external data (a
   * multipart body beside the query), hence the plain HTTP request.
   */
  async selectWith(
    table: { name: string; columns: string; rows: readonly Row[] },
    sql: string,
  ): Promise<Row[]> {
    return rowsOf(
      await this.#withExternal(table, sql, 'select with external data'),
      'select with external data',
    );
  }

  /** Runs a statement without rows to return (an INSERT … SELECT) that reads `table`, sent as in `selectWith`. */
  async commandWith(
    table: { name: string; columns: string; rows: readonly Row[] },
    sql: string,
  ): Promise<void> {
    await this.#withExternal(table, sql, 'command with external data');
  }

  /** The endpoint's URL for a statement of this database answering JSONEachRow. */
  #url(): URL {
    const url = new URL(this.endpoint.url);
    url.searchParams.set('database', this.database);
    url.searchParams.set('default_format', 'JSONEachRow');
    return url;
  }

  async #withExternal(
    table: { name: string; columns: string; rows: readonly Row[] },
    sql: string,
    what: string,
  ): Promise<Answer> {
    this.#refuseClosed(what);
    const name = sqlIdentifier(table.name);
    const url = this.#url();
    url.searchParams.set(`${name}_structure`, table.columns);
    url.searchParams.set(`${name}_format`, 'JSONEachRow');
    // The statement goes in the body, ahead of the rows: a URL holds at most 16 KiB on 18.16, and the statements
    // that expand rows into rolling cells are longer.
    const body = new FormData();
    body.append('query', sql);
    body.append(name, new Blob([table.rows.map((row) => JSON.stringify(row)).join('\n')]), name);
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: this.endpoint.authorization, 'user-agent': USER_AGENT },
        body,
        signal: AbortSignal.timeout(this.endpoint.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw toStoreError(error, what);
    }
    if (status !== 200) throw serverError(status, text, what);
    return { status, text };
  }

  /**
   * POSTs `sql` as the body through `sockets`; an answer other than 200 is a server error. A kept socket the server
   * closed just before (its idle timer not yet run: a busy event loop) fails before any answer with ECONNRESET; the
   * statement is a SELECT, which changes nothing, so it is sent again, as Node's documentation advises for kept
   * sockets. Only then, and on another socket: each such failure destroys the stale one, and a new socket ends it.
   */
  async #request(sql: string, what: string): Promise<Answer> {
    for (;;) {
      const answer = await this.#send(sql, what);
      if (answer !== STALE) return answer;
    }
  }

  /** One attempt of `#request`: its answer, or STALE when a kept socket was found closed before any answer. */
  #send(sql: string, what: string): Promise<Answer | typeof STALE> {
    this.#refuseClosed(what);
    const url = this.#url();
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const fail = (error: unknown): void => reject(toStoreError(error, what));
      let answered = false;
      const sent = send(
        url,
        {
          method: 'POST',
          agent: this.sockets,
          headers: { authorization: this.endpoint.authorization, 'user-agent': USER_AGENT },
          signal: AbortSignal.timeout(this.endpoint.timeoutMs),
        },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status === 200) resolve({ status, text });
            else reject(serverError(status, text, what));
          });
        },
      );
      sent.on('error', (error: NodeJS.ErrnoException) => {
        if (!answered && sent.reusedSocket && error.code === 'ECONNRESET') resolve(STALE);
        else fail(error);
      });
      sent.end(sql);
    });
  }

  /**
   * Inserts rows into `table` (a plain identifier) in one JSONEachRow request; nothing to do for no rows. With
   * `oneBlock`, the server is told to parse all of them into one block (`max_insert_block_size`), so the insert,
   * and what materialized views derive from it, is written as one part per table or not at all. With
   * `parallelViews`, the views of `table` are computed side by side (`parallel_view_processing`) rather than one
   * after the other: each still gets the whole block, so what they write is the same, and the insert returns
   * sooner. `queryId` names the request in the server's `system.processes` while it runs.
   */
  async insert(
    table: string,
    rows: readonly Row[],
    options: {
      readonly oneBlock?: boolean;
      readonly parallelViews?: boolean;
      readonly queryId?: string;
    } = {},
  ): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.client.insert({
        table: sqlIdentifier(table),
        values: [...rows],
        format: 'JSONEachRow',
        ...(options.queryId === undefined ? {} : { query_id: options.queryId }),
        clickhouse_settings: {
          ...(options.oneBlock === true
            ? { max_insert_block_size: String(Math.max(rows.length, 1_048_576)) }
            : {}),
          ...(options.parallelViews === true ? { parallel_view_processing: 1 } : {}),
        },
      });
    } catch (error) {
      throw toStoreError(error, `insert into ${table}`);
    }
  }

  /** Refuses a request after `close`: the agent would open new sockets that nothing closes. */
  #refuseClosed(what: string): void {
    if (this.#closing !== undefined)
      throw new MosyError('unavailable', `ClickHouse (${what}): the connection is closed`);
  }

  /** Closes the client's sockets; requests after it are refused. Idempotent. */
  close(): Promise<void> {
    this.sockets.destroy();
    this.#closing ??= this.client.close();
    return this.#closing;
  }
}
