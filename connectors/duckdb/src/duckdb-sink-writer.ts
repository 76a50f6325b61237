import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBDataChunk, DuckDBInstance, DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection, type DuckDBVector } from '@duckdb/node-api';
import { DeliveryGuarantee, type CommittingSinkWriter, type SinkInitContext, type SinkWriterContext, type StatefulSinkWriter } from '@riffle/core';
import { INVALID, deriveColumns, duckDbType, valueConverter, type DuckDbColumn, type ValueConverter } from './column-types.js';
import type { DuckDbCommittable, DuckDbWriterState } from './duckdb-committable.js';
import type { DuckDbSinkOptions } from './duckdb-sink-options.js';
import { DatabaseLock, explainLockError } from './database-lock.js';
import { InFlight } from './in-flight.js';
import { DEAD_LETTER_COLUMNS, ensureTable, moveRejected, moveRows } from './table-operations.js';
import { quoteIdent, quoteLiteral } from './sql.js';

const STAGE = 'stg';
/** DuckDB's standard vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;
const TARGET = 'dst';

/**
 * The DuckDB sink's writer, one per subtask. Records are appended synchronously, through DuckDB's
 * appender, into a staging table of a private in-memory DuckDB instance:
 *
 * - EXACTLY_ONCE: the staging table lives in a staging file attached to that instance, one file
 *   per pre-committed checkpoint. `prepareCommit` detaches it (DuckDB checkpoints it to disk) and
 *   returns a committable naming it; the committer moves its rows into the table.
 * - AT_LEAST_ONCE / NONE: the staging table is in memory; every `flush` moves it into the table
 *   under the database lock (attach, insert in one transaction, detach) and empties it.
 *
 * Without declared columns the writer keeps records in memory until the next `flush` /
 * `prepareCommit`, where it derives the columns from the first record and creates the staging table.
 */
export class DuckDbSinkWriter<T extends object>
  implements CommittingSinkWriter<T, DuckDbCommittable>, StatefulSinkWriter<T, DuckDbWriterState>
{
  private columns: DuckDbColumn[] | undefined;
  private fieldNames: string[] = [];
  private converters: ValueConverter[] = [];
  private keyColumn: boolean[] = [];
  private rejectedAppender: DuckDBAppender | undefined;
  private rejectedInTransaction = 0;
  private rejectedTotal = 0;
  private appender: DuckDBAppender | undefined;
  private chunk: DuckDBDataChunk | undefined;
  private vectors: DuckDBVector[] = [];
  private chunkRows = 0;
  private chunkCapacity = 0;
  private pending: T[] = [];
  private rowsInTransaction = 0;
  private rowsSinceFlush = 0;
  private stagingPath: string | undefined;
  private transactionId = '';
  private ended = false;
  private readonly exactlyOnce: boolean;
  private readonly lock: DatabaseLock;
  private readonly inFlight = new InFlight();

  private constructor(
    private readonly options: DuckDbSinkOptions,
    private readonly context: SinkInitContext,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private nextSequence: number,
  ) {
    this.exactlyOnce = options.deliveryGuarantee === DeliveryGuarantee.EXACTLY_ONCE;
    this.lock = new DatabaseLock(options.database);
  }

  /** Opens a writer; `restored` are the states handed to this subtask after a recovery or rescale. */
  static async open<T extends object>(options: DuckDbSinkOptions, context: SinkInitContext, restored: readonly DuckDbWriterState[] = []): Promise<DuckDbSinkWriter<T>> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const nextSequence = restored.reduce((max, s) => Math.max(max, s.nextSequence), 0);
    const writer = new DuckDbSinkWriter<T>(options, context, instance, conn, nextSequence);
    if (writer.exactlyOnce) mkdirSync(options.stagingDirectory, { recursive: true });
    if (options.columns !== undefined) await writer.beginStaging([...options.columns]);
    return writer;
  }

  write(value: T): void;
  write(value: T, _context: SinkWriterContext): void;
  write(value: T): void {
    if (this.appender === undefined) {
      this.pending.push(value);
      return;
    }
    const fields = this.fieldNames;
    const converters = this.converters;
    const vectors = this.vectors;
    const row = this.chunkRows;
    const record = value as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const v = record[fields[i]!];
      if (v === null || v === undefined) {
        if (this.keyColumn[i]) return this.reject(value, i, 'is null but part of the primary key');
        vectors[i]!.setItem(row, null);
        continue;
      }
      const d = converters[i]!(v);
      if (d === INVALID) return this.reject(value, i, `does not fit column type ${this.columns![i]!.type}`);
      vectors[i]!.setItem(row, d);
    }
    this.rowsInTransaction++;
    if (++this.chunkRows === this.chunkCapacity) this.appendChunk();
  }

  /**
   * A record that does not fit: fails the job naming table, subtask, field, value and problem, or
   * (with a dead-letter table) stages it there with the error. The row's earlier fields, already in
   * the chunk, are overwritten by the next record.
   */
  private reject(value: T, column: number, problem: string): void {
    const field = this.fieldNames[column]!;
    const raw = (value as Record<string, unknown>)[field];
    const shown = typeof raw === 'string' ? JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw) : String(raw);
    const error = `field "${field}" = ${shown} (${raw === null ? 'null' : typeof raw}) ${problem}`;
    if (this.rejectedAppender === undefined) {
      throw new Error(`DuckDbSink (table "${this.options.table}", subtask ${this.context.getSubtaskId()}): bad record: ${error}`);
    }
    const a = this.rejectedAppender;
    a.appendVarchar(this.options.table);
    a.appendInteger(this.context.getSubtaskId());
    a.appendVarchar(field);
    a.appendVarchar(error);
    a.appendVarchar(recordJson(value));
    a.appendTimestamp(new DuckDBTimestampValue(BigInt(Date.now()) * 1000n));
    a.endRow();
    this.rejectedInTransaction++;
    this.rejectedTotal++;
  }

  /** Records routed to the dead-letter table by this writer so far. */
  get rejectedRecords(): number {
    return this.rejectedTotal;
  }

  /** Hands the filled part of the chunk to the appender; flushes the appender every `batchSize` rows. */
  private appendChunk(): void {
    const rows = this.chunkRows;
    if (rows === 0) return;
    const chunk = this.chunk!;
    if (rows < this.chunkCapacity) chunk.rowCount = rows;
    for (const v of this.vectors) v.flush();
    this.appender!.appendDataChunk(chunk);
    this.chunkRows = 0;
    if (rows < this.chunkCapacity) this.newChunk();
    this.rowsSinceFlush += rows;
    if (this.rowsSinceFlush >= this.options.batchSize) {
      this.appender!.flushSync();
      this.rowsSinceFlush = 0;
    }
  }

  private newChunk(): void {
    const chunk = DuckDBDataChunk.create(
      this.columns!.map((c) => duckDbType(c.type)),
      CHUNK_ROWS,
    );
    this.chunk = chunk;
    this.chunkCapacity = chunk.rowCount;
    this.vectors = this.columns!.map((_, i) => chunk.getColumnVector(i));
  }

  /** Moves every written row into the staging table. */
  private appendAll(): void {
    this.appendChunk();
    this.appender?.flushSync();
    this.rejectedAppender?.flushSync();
    this.rowsSinceFlush = 0;
  }

  flush(endOfInput: boolean): Promise<void> {
    return this.inFlight.track(this.flushRows(endOfInput));
  }

  private async flushRows(endOfInput: boolean): Promise<void> {
    if (endOfInput) this.ended = true;
    await this.drainPending();
    if (this.appender === undefined) return;
    this.appendAll();
    if (!this.exactlyOnce && this.rowsInTransaction + this.rejectedInTransaction > 0) await this.writeThrough();
  }

  prepareCommit(): Promise<DuckDbCommittable[]> {
    return this.inFlight.track(this.stageCheckpoint());
  }

  private async stageCheckpoint(): Promise<DuckDbCommittable[]> {
    if (!this.exactlyOnce) return [];
    await this.drainPending();
    if (this.appender === undefined || this.rowsInTransaction + this.rejectedInTransaction === 0) return [];
    this.appendAll();
    this.appender.closeSync();
    this.appender = undefined;
    this.rejectedAppender?.closeSync();
    this.rejectedAppender = undefined;
    await this.conn.run(`DETACH ${STAGE}`);
    const committable: DuckDbCommittable = {
      transactionId: this.transactionId,
      jobId: this.context.getJobId(),
      subtaskId: this.context.getSubtaskId(),
      sequence: this.nextSequence++,
      stagingPath: this.stagingPath!,
      rowCount: this.rowsInTransaction,
      rejectedCount: this.rejectedInTransaction,
    };
    this.stagingPath = undefined;
    this.rowsInTransaction = 0;
    this.rejectedInTransaction = 0;
    if (!this.ended) await this.beginStaging(this.columns!);
    return [committable];
  }

  snapshotState(_checkpointId: number): DuckDbWriterState[] {
    return [{ subtaskId: this.context.getSubtaskId(), nextSequence: this.nextSequence }];
  }

  async close(): Promise<void> {
    // A DuckDB call still running when the connection closes deadlocks its thread (see InFlight).
    await this.inFlight.idle();
    try {
      this.appender?.closeSync();
      this.appender = undefined;
      this.rejectedAppender?.closeSync();
      this.rejectedAppender = undefined;
      if (this.stagingPath !== undefined) {
        // Rows not pre-committed belong to no checkpoint: the source replays them.
        await this.conn.run(`DETACH ${STAGE}`).catch(() => undefined);
        rmSync(this.stagingPath, { force: true });
        rmSync(`${this.stagingPath}.wal`, { force: true });
        this.stagingPath = undefined;
      }
    } finally {
      this.conn.closeSync();
      this.instance.closeSync();
    }
  }

  /** Rows appended but not yet pre-committed (EXACTLY_ONCE) or written through. For tests. */
  get bufferedRows(): number {
    return this.rowsInTransaction + this.pending.length;
  }

  private async drainPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    if (this.appender === undefined) await this.beginStaging(deriveColumns(records[0]!));
    for (const r of records) this.write(r);
  }

  /** Creates the staging table (in a fresh staging file for EXACTLY_ONCE) and its appender. */
  private async beginStaging(columns: DuckDbColumn[]): Promise<void> {
    if (this.columns === undefined) {
      this.columns = columns;
      this.fieldNames = columns.map((c) => c.name);
      this.converters = columns.map((c) => valueConverter(c.type));
      this.keyColumn = columns.map((c) => this.options.primaryKey.includes(c.name));
      if (!this.exactlyOnce) {
        await ensureStagingTable(this.conn, 'memory', columns);
        if (this.options.deadLetterTable !== undefined) await ensureStagingTable(this.conn, 'memory', DEAD_LETTER_COLUMNS, 'rejected');
      }
    }
    if (this.exactlyOnce) {
      this.transactionId = randomUUID();
      const name = `${safe(this.context.getJobId())}-${this.context.getSubtaskId()}-${this.nextSequence}-${this.transactionId}.duckdb`;
      this.stagingPath = join(this.options.stagingDirectory, name);
      await this.conn.run(`ATTACH ${quoteLiteral(this.stagingPath)} AS ${STAGE}`);
      await ensureStagingTable(this.conn, STAGE, columns);
      if (this.options.deadLetterTable !== undefined) await ensureStagingTable(this.conn, STAGE, DEAD_LETTER_COLUMNS, 'rejected');
    }
    const catalog = this.exactlyOnce ? STAGE : 'memory';
    this.appender = await this.conn.createAppender('rows', 'main', catalog);
    if (this.options.deadLetterTable !== undefined) this.rejectedAppender = await this.conn.createAppender('rejected', 'main', catalog);
    this.newChunk();
  }

  /** AT_LEAST_ONCE / NONE: moves the staged rows into the table in one transaction. */
  private async writeThrough(): Promise<void> {
    const release = await this.lock.acquire();
    try {
      try {
        await this.conn.run(`ATTACH ${quoteLiteral(this.options.database)} AS ${TARGET}`);
      } catch (e) {
        throw explainLockError(this.options.database, e);
      }
      try {
        const columns = this.columns!.map((c) => ({ name: c.name, type: c.type }));
        await ensureTable(this.conn, TARGET, this.options.table, columns, this.options.primaryKey);
        await this.conn.run('BEGIN TRANSACTION');
        try {
          await moveRows(this.conn, 'memory.main."rows"', TARGET, this.options.table, columns, this.options.writeMode, this.options.primaryKey);
          if (this.options.deadLetterTable !== undefined && this.rejectedInTransaction > 0) {
            await moveRejected(this.conn, 'memory.main."rejected"', TARGET, this.options.deadLetterTable);
          }
          await this.conn.run('COMMIT');
        } catch (e) {
          await this.conn.run('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } finally {
        await this.conn.run(`DETACH ${TARGET}`);
      }
    } finally {
      release();
    }
    // The appender must not hold rows while the table is emptied.
    this.appender!.closeSync();
    await this.conn.run('DELETE FROM memory.main."rows"');
    this.appender = await this.conn.createAppender('rows', 'main', 'memory');
    this.rowsInTransaction = 0;
    if (this.rejectedAppender !== undefined) {
      this.rejectedAppender.closeSync();
      await this.conn.run('DELETE FROM memory.main."rejected"');
      this.rejectedAppender = await this.conn.createAppender('rejected', 'main', 'memory');
      this.rejectedInTransaction = 0;
    }
  }
}

async function ensureStagingTable(conn: DuckDBConnection, catalog: string, columns: readonly { name: string; type: string }[], table = 'rows'): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(catalog)}.main.${quoteIdent(table)} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
}

/** The record as JSON for the dead-letter table (bigints as strings); a bad record only. */
function recordJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}
