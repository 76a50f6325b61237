import { existsSync, rmSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { getLogger, type CommitRequest, type Committer } from '@riffle/core';
import type { DuckDbCommittable } from './duckdb-committable.js';
import type { DuckDbSinkOptions } from './duckdb-sink-options.js';
import { DatabaseLock, explainLockError } from './database-lock.js';
import { InFlight } from './in-flight.js';
import { COMMIT_MARKER_TABLE, describeColumns, ensureMarkerTable, ensureTable, moveRejected, moveRows } from './table-operations.js';
import { qualifiedTable, quoteLiteral } from './sql.js';

const log = getLogger('connector-duckdb.committer');
const TARGET = 'dst';
const STAGE = 'stg';

/**
 * Commits staged checkpoints (EXACTLY_ONCE). For each committable, in one DuckDB transaction: the
 * staged rows are moved into the table and a marker row keyed by the committable's transaction id
 * is inserted into `_riffle_sink_commits`. A committable whose marker exists was committed before
 * (a replay after recovery): it is a no-op reported with `signalAlreadyCommitted`. The staging
 * file is deleted only after the transaction committed and the database was detached (checkpointed).
 *
 * A staging file that is missing while no marker exists means the staged rows are gone: that fails
 * the commit (unknown reason), as does any DuckDB error, and the job fails. A database locked by
 * another process is a {@link DatabaseLockedError}. Committers of all subtasks of a process may run
 * concurrently (in different worker threads): they take turns through the database lock.
 */
export class DuckDbCommitter implements Committer<DuckDbCommittable> {
  private instance: DuckDBInstance | undefined;
  private conn: DuckDBConnection | undefined;
  private readonly lock: DatabaseLock;
  private readonly inFlight = new InFlight();

  constructor(private readonly options: DuckDbSinkOptions) {
    this.lock = new DatabaseLock(options.database);
  }

  commit(requests: CommitRequest<DuckDbCommittable>[]): Promise<void> {
    return this.inFlight.track(this.commitAll(requests));
  }

  private async commitAll(requests: CommitRequest<DuckDbCommittable>[]): Promise<void> {
    if (requests.length === 0) return;
    const conn = await this.connection();
    const done: string[] = [];
    let release: (() => void) | undefined;
    try {
      release = await this.lock.acquire();
      try {
        await conn.run(`ATTACH ${quoteLiteral(this.options.database)} AS ${TARGET}`);
      } catch (e) {
        throw explainLockError(this.options.database, e);
      }
      try {
        await ensureMarkerTable(conn, TARGET);
        for (const request of requests) {
          const staged = await this.commitOne(conn, request);
          if (staged !== undefined) done.push(staged);
        }
      } finally {
        await conn.run(`DETACH ${TARGET}`);
      }
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      for (const r of requests) r.signalFailedWithUnknownReason(error);
      return;
    } finally {
      release?.();
    }
    for (const path of done) {
      rmSync(path, { force: true });
      rmSync(`${path}.wal`, { force: true });
    }
  }

  /** Commits one committable; returns its staging file when that file may now be deleted. */
  private async commitOne(conn: DuckDBConnection, request: CommitRequest<DuckDbCommittable>): Promise<string | undefined> {
    const c = request.getCommittable();
    const markers = qualifiedTable(COMMIT_MARKER_TABLE, TARGET);
    const found = await conn.runAndReadAll(`SELECT 1 FROM ${markers} WHERE transaction_id = ${quoteLiteral(c.transactionId)}`);
    if (found.currentRowCount > 0) {
      request.signalAlreadyCommitted();
      return existsSync(c.stagingPath) ? c.stagingPath : undefined;
    }
    if (!existsSync(c.stagingPath)) {
      request.signalFailedWithUnknownReason(
        new Error(`DuckDbSink: staging file ${c.stagingPath} of checkpoint transaction ${c.transactionId} (subtask ${c.subtaskId}, ${c.rowCount} rows) is missing and was never committed`),
      );
      return undefined;
    }
    await conn.run(`ATTACH ${quoteLiteral(c.stagingPath)} AS ${STAGE} (READ_ONLY)`);
    try {
      const columns = await describeColumns(conn, STAGE, 'rows');
      await ensureTable(conn, TARGET, this.options.table, columns, this.options.primaryKey);
      await conn.run('BEGIN TRANSACTION');
      try {
        await moveRows(conn, `${STAGE}.main."rows"`, TARGET, this.options.table, columns, this.options.writeMode, this.options.primaryKey);
        if (c.rejectedCount > 0 && this.options.deadLetterTable !== undefined) {
          await moveRejected(conn, `${STAGE}.main."rejected"`, TARGET, this.options.deadLetterTable);
        }
        await conn.run(
          `INSERT INTO ${markers} VALUES (${quoteLiteral(c.transactionId)}, ${quoteLiteral(c.jobId)}, ${c.subtaskId}, ${c.sequence}, ${quoteLiteral(this.options.table)}, ${c.rowCount}, ${c.rejectedCount}, now()::TIMESTAMP)`,
        );
        await conn.run('COMMIT');
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      await conn.run(`DETACH ${STAGE}`);
    }
    log.debug('committed staged checkpoint', { transactionId: c.transactionId, subtask: c.subtaskId, rows: c.rowCount });
    return c.stagingPath;
  }

  async close(): Promise<void> {
    // A DuckDB call still running when the connection closes deadlocks its thread (see InFlight).
    await this.inFlight.idle();
    this.conn?.closeSync();
    this.instance?.closeSync();
    this.conn = undefined;
    this.instance = undefined;
  }

  private async connection(): Promise<DuckDBConnection> {
    if (this.conn === undefined) {
      this.instance = await DuckDBInstance.create(':memory:');
      this.conn = await this.instance.connect();
    }
    return this.conn;
  }
}
