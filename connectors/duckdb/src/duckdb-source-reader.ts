import { JSDuckDBValueConverter, type DuckDBConnection, type DuckDBInstance, type DuckDBResult } from '@duckdb/node-api';
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '@riffle/core';
import type { DuckDbSourceOptions } from './duckdb-source-options.js';
import type { DuckDbSplit } from './duckdb-split.js';
import { openReadOnly, splitQuery } from './split-queries.js';
import { InFlight } from './in-flight.js';

/** A fetched chunk: column-major JS values. */
interface Chunk {
  readonly columns: unknown[][];
  readonly rows: number;
}

/**
 * Reads the splits given to it one after the other, streaming each split's query from a
 * read-only connection (opened on the first split). Chunks are fetched in the background, one
 * in flight; `pollNext` turns buffered rows into records (objects keyed by column name, values
 * as DuckDB's JS conversion gives them: BIGINT → bigint, TIMESTAMP → Date, DECIMAL → number) and
 * never waits. A snapshot reports the current split with `offset` = rows emitted from it, then
 * the queued ones.
 */
export class DuckDbSourceReader<T> implements SourceReader<T, DuckDbSplit> {
  private readonly queue: DuckDbSplit[] = [];
  private current: DuckDbSplit | undefined;
  private emitted = 0;
  private result: DuckDBResult | undefined;
  private names: string[] = [];
  private chunk: Chunk | undefined;
  private row = 0;
  private fetching = false;
  private closed = false;
  private readonly inFlight = new InFlight();
  private exhausted = false;
  private failure: Error | undefined;
  private noMoreSplits = false;
  private requested = false;
  private instance: DuckDBInstance | undefined;
  private conn: DuckDBConnection | undefined;
  private available: Promise<void> = Promise.resolve();
  private signal: (() => void) | undefined;

  constructor(
    private readonly context: SourceReaderContext,
    private readonly options: DuckDbSourceOptions,
  ) {}

  start(): void {
    this.requestSplit();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.failure) throw this.failure;
    if (this.current === undefined && !this.nextSplit()) {
      if (this.noMoreSplits) return 'END_OF_INPUT';
      this.requestSplit();
      return this.waitForSignal();
    }
    const split = this.current!;
    const chunk = this.chunk;
    if (chunk === undefined) {
      if (this.exhausted) {
        output.releaseOutputForSplit(split.splitId);
        this.finishSplit();
        return 'MORE_AVAILABLE';
      }
      this.fetch();
      return this.waitForSignal();
    }
    const out = output.createOutputForSplit(split.splitId);
    const names = this.names;
    const columns = chunk.columns;
    const end = Math.min(chunk.rows, this.row + this.options.pollBatchSize);
    for (let r = this.row; r < end; r++) {
      const record: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) record[names[c]!] = columns[c]![r];
      out.collect(record as T);
    }
    this.emitted += end - this.row;
    this.row = end;
    if (end === chunk.rows) {
      this.chunk = undefined;
      this.row = 0;
      this.fetch();
    }
    return 'MORE_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    return this.available;
  }

  addSplits(splits: DuckDbSplit[]): void {
    this.queue.push(...splits);
    this.requested = false;
    this.wake();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.wake();
  }

  snapshotState(_checkpointId: number): DuckDbSplit[] {
    const splits: DuckDbSplit[] = [];
    if (this.current !== undefined) splits.push({ ...this.current, offset: this.emitted });
    splits.push(...this.queue);
    return splits;
  }

  async close(): Promise<void> {
    this.closed = true;
    // A DuckDB call still running when the connection closes deadlocks its thread (see InFlight).
    await this.inFlight.idle();
    this.conn?.closeSync();
    this.instance?.closeSync();
    this.conn = undefined;
    this.instance = undefined;
  }

  private nextSplit(): boolean {
    const split = this.queue.shift();
    if (split === undefined) return false;
    this.current = split;
    this.emitted = split.offset;
    this.result = undefined;
    this.chunk = undefined;
    this.row = 0;
    this.exhausted = false;
    return true;
  }

  private finishSplit(): void {
    this.current = undefined;
    this.result = undefined;
    if (this.queue.length === 0 && !this.noMoreSplits) this.requestSplit();
  }

  private requestSplit(): void {
    if (this.requested) return;
    this.requested = true;
    this.context.sendSplitRequest();
  }

  /** Starts fetching the current split's next chunk (opening the query first), unless one is in flight. */
  private fetch(): void {
    if (this.fetching || this.exhausted || this.chunk !== undefined) return;
    this.fetching = true;
    const split = this.current!;
    void this.inFlight.track(this.fetchChunk(split)).then(
      (chunk) => {
        this.fetching = false;
        if (split !== this.current) return;
        if (chunk === undefined) this.exhausted = true;
        else this.chunk = chunk;
        this.wake();
      },
      (e: unknown) => {
        this.fetching = false;
        this.failure = new Error(`DuckDbSource: reading split ${split.splitId} of ${this.options.database} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        this.wake();
      },
    );
  }

  private async fetchChunk(split: DuckDbSplit): Promise<Chunk | undefined> {
    if (this.closed) return undefined;
    if (this.result === undefined) {
      if (this.conn === undefined) {
        this.instance = await openReadOnly(this.options.database);
        this.conn = await this.instance.connect();
      }
      this.result = await this.conn.stream(splitQuery(this.options, split));
      this.names = this.result.columnNames();
    }
    const chunk = await this.result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return undefined;
    return { columns: chunk.convertColumns(JSDuckDBValueConverter), rows: chunk.rowCount };
  }

  private waitForSignal(): InputStatus {
    if (this.signal === undefined) this.available = new Promise<void>((resolve) => (this.signal = resolve));
    return 'NOTHING_AVAILABLE';
  }

  private wake(): void {
    const signal = this.signal;
    this.signal = undefined;
    signal?.();
  }
}
