/**
 * One open DuckDB database shared by the indicator store, the registry and the intake ledger: the instance; one
 * writer connection through which every write is serialized (so concurrent calls never conflict and a batch's
 * upsert never races another), except the intake ledger's writes, the audit log's appends and upkeep that changes
 * no answer, which have a writer each of their own (no other write touches their tables, or rows); a few reader
 * connections for queries (DuckDB's MVCC lets them read while the writers write); a scratch folder for bulk loads;
 * and an orderly close: drain the queues, checkpoint, disconnect. The intake ledger's tables live in a database file
 * of their own, attached to the same instance as `intake_ledger` (see `ledgerPath`), so readers can still join them
 * with the store's tables.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MosyError } from '@mosy/core';
import { text } from '@mosy/sql';
import { assertLedgerFileKept } from './ledger-file.js';

/** Work for one connection. */
export type Task<T> = (connection: DuckDBConnection) => Promise<T>;

/** A connection that runs one task at a time, in call order. */
export class Lane {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #closed = false;

  constructor(private readonly connection: DuckDBConnection) {}

  /** Tasks queued or running. */
  get pending(): number {
    return this.#pending;
  }

  run<T>(task: Task<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new MosyError('unavailable', 'the DuckDB store is closed'));
    this.#pending++;
    const result = this.#tail.then(() => task(this.connection));
    this.#tail = result.then(
      () => this.#pending--,
      () => this.#pending--,
    );
    return result;
  }

  /** Refuses new tasks and resolves when the queued ones have finished. */
  async drain(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }

  disconnect(): void {
    this.connection.disconnectSync();
  }
}

/** Runs `task` in a transaction on the connection: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, task: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await task();
    await connection.run('COMMIT');
    return result;
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * A DuckDB failure as a MosyError: I/O and memory trouble may pass (retriable), a violated key is a `conflict`,
 * anything else is a bug.
 */
export function toStoreError(error: unknown): MosyError {
  if (error instanceof MosyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // A full disk fails a commit with a TransactionContext error; the operator frees space and it passes.
  if (/No space left on device|Disk quota exceeded/i.test(message)) {
    return new MosyError(
      'unavailable',
      'The data folder is full (the database could not write); nothing from this request was kept. Free space in the data folder and send it again.',
      { cause: error },
    );
  }
  if (/^(IO|Out of Memory|Interrupt) Error/i.test(message) || /Could not set lock/i.test(message)) {
    return new MosyError('unavailable', `DuckDB: ${message}`, { cause: error });
  }
  if (/^Constraint Error/i.test(message))
    return new MosyError('conflict', `DuckDB: ${message}`, { cause: error });
  return new MosyError('internal', `DuckDB: ${message}`, { cause: error });
}

export interface DuckDbDatabaseOptions {
  /** A database file (created with its folder if missing) or `:memory:`. */
  readonly path: string;
  /** Reader connections for queries. @defaultValue 2 */
  readonly readers?: number;
  /**
   * DuckDB configuration options, e.g. `{ threads: '2', memory_limit: '2GB' }`. DuckDB's own defaults otherwise.
   * A larger `checkpoint_threshold` than DuckDB's 16 MB pays only beside `idleCheckpointMs` (the embedded runtime
   * uses 64 MB with it): alone, it moves the checkpoint's work into a later commit or into `close`.
   * @defaultValue {}
   */
  readonly config?: Readonly<Record<string, string>>;
  /** Where bulk-load files are written (a private folder is made inside). @defaultValue the OS temp folder */
  readonly scratchDirectory?: string;
  /**
   * Checkpoint the files once no write has come for this long. DuckDB checkpoints inside the commit that takes a WAL
   * past `checkpoint_threshold`, and that commit (an apply, under load) then waits the whole checkpoint, a second or
   * more on a large store; with a larger threshold and checkpoints in quiet moments, applies under load rarely wait
   * for one. @defaultValue none: only DuckDB's own checkpoints
   */
  readonly idleCheckpointMs?: number;
  /**
   * The intake ledger's own database file (or `:memory:`), attached as `intake_ledger`, which holds the audit log
   * too. A submission's 202 waits for its ledger commit, an unprotected read for its audit entry; in a file of its
   * own, such a commit writes and fsyncs a small WAL of its own, and never waits for the store's checkpoints (which
   * rewrite the store file when its WAL grows past `checkpoint_threshold`, holding every write to it meanwhile) or
   * for the WAL of a large apply. @defaultValue none: no ledger (an indicator store alone)
   */
  readonly ledgerPath?: string;
}

/** The catalog name of the attached ledger database. */
export const LEDGER_CATALOG = 'intake_ledger';

/** The ledger file beside a store file: `mosy.duckdb` → `mosy.ledger.duckdb`; in memory for an in-memory store. */
export function ledgerPathOf(path: string): string {
  if (path === ':memory:') return path;
  return `${path.endsWith('.duckdb') ? path.slice(0, -'.duckdb'.length) : path}.ledger.duckdb`;
}

export class DuckDbDatabase {
  #closing: Promise<void> | undefined;
  #generation = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #idleCheckpointMs: number | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly writer: Lane,
    /**
     * A second writer for the intake ledger's tables alone, which no other write touches: a submission's small
     * ledger commit then runs beside a bulk apply instead of queuing behind it (DuckDB lets transactions of two
     * connections commit side by side when they write different tables).
     */
    private readonly ledgerWriter: Lane,
    /**
     * A third writer for the audit log alone (append-only, touched by no other write): an unprotected report read
     * writes its audit entry before it is answered, and would otherwise wait for the bulk apply in progress. Its
     * table is in the ledger's file when there is one (audit-log.ts), apart from the store's checkpoints.
     */
    private readonly auditWriter: Lane,
    /**
     * A fourth writer for upkeep that changes no answer (compacting the rolling tables: a key's rows replaced by
     * their sum), beside the writes: inside an apply's transaction, a compaction held that apply, and every report
     * waiting for it, for a second or more. It commits beside the applies, which only append to those tables.
     */
    private readonly maintainer: Lane,
    private readonly readers: readonly Lane[],
    /** A private folder for bulk-load files, removed on close. */
    readonly scratch: string,
    readonly inMemory: boolean,
    /** The catalog name of the store's database (DuckDB names it after the file). */
    readonly storeCatalog: string,
    /** Whether the intake ledger's database is attached (`LEDGER_CATALOG`). */
    readonly hasLedger: boolean,
  ) {}

  static async open(options: DuckDbDatabaseOptions): Promise<DuckDbDatabase> {
    const inMemory = options.path === ':memory:';
    if (!inMemory) await mkdir(dirname(options.path), { recursive: true });
    const scratch = await mkdtemp(join(options.scratchDirectory ?? tmpdir(), 'mosy-duckdb-'));
    let instance: DuckDBInstance | undefined;
    try {
      instance = await DuckDBInstance.create(options.path, { ...options.config });
      const main = await instance.connect();
      const storeCatalog = text(
        (await main.runAndReadAll('SELECT current_database() AS name')).getRowObjectsJS()[0]?.name,
      );
      const hasLedger = options.ledgerPath !== undefined;
      if (options.ledgerPath !== undefined) {
        await assertLedgerFileKept(main, options.path, options.ledgerPath);
        if (options.ledgerPath !== ':memory:') await mkdir(dirname(options.ledgerPath), { recursive: true });
        await main.run(`ATTACH ${sqlString(options.ledgerPath)} AS ${LEDGER_CATALOG}`);
      }
      const writer = new Lane(main);
      const ledgerConnection = await instance.connect();
      // Unqualified names on the ledger's writer (its migrations) are the ledger's tables.
      if (hasLedger) await ledgerConnection.run(`USE ${LEDGER_CATALOG}`);
      const ledgerWriter = new Lane(ledgerConnection);
      const auditWriter = new Lane(await instance.connect());
      const maintainer = new Lane(await instance.connect());
      const readers: Lane[] = [];
      for (let i = 0; i < Math.max(1, options.readers ?? 2); i++)
        readers.push(new Lane(await instance.connect()));
      const database = new DuckDbDatabase(
        instance,
        writer,
        ledgerWriter,
        auditWriter,
        maintainer,
        readers,
        scratch,
        inMemory,
        storeCatalog,
        hasLedger,
      );
      if (!inMemory) database.#idleCheckpointMs = options.idleCheckpointMs;
      return database;
    } catch (error) {
      // Released, so the file can be opened again once what stopped this open is put right.
      instance?.closeSync();
      await rm(scratch, { recursive: true, force: true });
      throw toStoreError(error);
    }
  }

  /**
   * How many times a write to the store's tables started or ended, so odd while one is under way (its commit may
   * land at any moment then), and -1 once the database is closing. A value read from those tables by a read that
   * started and ended at the same even number cannot have changed meanwhile, as this process holds the file alone
   * (DuckDB locks it) and every such write, commit included, runs inside `write` (the ledger's and the audit log's
   * tables are apart).
   */
  get generation(): number {
    return this.#closing === undefined ? this.#generation : -1;
  }

  /** Serialized with every other write. */
  write<T>(task: Task<T>): Promise<T> {
    return this.#wrote(
      this.writer.run(async (connection) => {
        this.#generation++;
        try {
          return await task(connection);
        } finally {
          this.#generation++;
        }
      }),
    );
  }

  /** Serialized with every other write to the intake ledger's tables (and only those: see `ledgerWriter`). */
  writeLedger<T>(task: Task<T>): Promise<T> {
    return this.#wrote(this.ledgerWriter.run(task));
  }

  /** A write's result, once it has (re)started the wait for a quiet moment to checkpoint in. */
  #wrote<T>(result: Promise<T>): Promise<T> {
    return result.then(
      (value) => {
        this.#armIdleCheckpoint();
        return value;
      },
      (error: unknown) => Promise.reject(toStoreError(error)),
    );
  }

  #armIdleCheckpoint(): void {
    if (this.#idleCheckpointMs === undefined || this.#closing !== undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (
        this.writer.pending > 0 ||
        this.ledgerWriter.pending > 0 ||
        this.auditWriter.pending > 0 ||
        this.maintainer.pending > 0 ||
        this.#closing !== undefined
      )
        return;
      // Through the writer's queue, so no write of the store runs during it. A failure (a transaction of another
      // connection still open) only leaves the checkpoint to the next quiet moment, or to DuckDB's threshold.
      this.writer
        .run(async (c) => {
          await c.run('CHECKPOINT');
          if (this.hasLedger) await c.run(`CHECKPOINT ${LEDGER_CATALOG}`);
        })
        .catch(() => undefined);
    }, this.#idleCheckpointMs);
    // A pending checkpoint must not keep a process alive that has nothing else to do.
    this.#idleTimer.unref();
  }

  /**
   * Upkeep whose commit changes no value any read can see (so `generation` does not move): serialized with other
   * upkeep only, beside the writes.
   */
  maintain<T>(task: Task<T>): Promise<T> {
    return this.maintainer.run(task).catch((error: unknown) => Promise.reject(toStoreError(error)));
  }

  /** Serialized with every other append to the audit log (and only those: see `auditWriter`). */
  writeAudit<T>(task: Task<T>): Promise<T> {
    return this.auditWriter.run(task).catch((error: unknown) => Promise.reject(toStoreError(error)));
  }

  /** On the least busy reader connection. */
  read<T>(task: Task<T>): Promise<T> {
    const lane = this.readers.reduce((best, lane) => (lane.pending < best.pending ? lane : best));
    return lane.run(task).catch((error: unknown) => Promise.reject(toStoreError(error)));
  }

  /** Waits for queued work, checkpoints a file database and releases it. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    await Promise.allSettled(
      [...this.readers, this.ledgerWriter, this.auditWriter, this.maintainer].map((lane) => lane.drain()),
    );
    // Checkpoint through the writer's queue, as its last task, so it follows every accepted write.
    let failure: unknown;
    const checkpoint = this.inMemory
      ? undefined
      : this.writer
          .run(async (c) => {
            await c.run('CHECKPOINT');
            if (this.hasLedger) await c.run(`CHECKPOINT ${LEDGER_CATALOG}`);
          })
          .then(
            () => undefined,
            (error: unknown) => {
              failure = error;
            },
          );
    await this.writer.drain();
    await checkpoint;
    for (const lane of [...this.readers, this.ledgerWriter, this.auditWriter, this.maintainer, this.writer])
      lane.disconnect();
    this.instance.closeSync();
    await rm(this.scratch, { recursive: true, force: true });
    if (failure !== undefined) throw toStoreError(failure);
  }
}

/** A SQL string literal. */
function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
