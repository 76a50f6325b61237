import { getLogger, type InputStatus, type ReaderOutput, type SourceOutput, type SourceReader, type SourceReaderContext } from '@riffle/core';
import type { FileDeadLetter } from './file-dead-letter.js';
import type { BulkFormat, FileBlockReader } from './file-source-format.js';
import { fileSourceSplit, type FileSourceSplit } from './file-source-split.js';

const log = getLogger('FileSourceReader');

/** Records emitted per `pollNext` at most, to keep the task responsive. */
const MAX_PER_POLL = 4096;

/** The split being read: its block reader, the batch at hand and the position. */
interface CurrentSplit<T> {
  readonly split: FileSourceSplit;
  readonly output: SourceOutput<T>;
  reader: FileBlockReader<T> | undefined;
  /** Records of the block emitted so far (restored position included). */
  position: number;
  batch: readonly T[] | undefined;
  index: number;
  /** The block is exhausted (or failed); close and release at the next poll. */
  done: boolean;
}

/**
 * Reads the file splits assigned to it one at a time, in order (Flink's `FileSourceReader`).
 * Opening a block and reading a batch happen asynchronously, one step ahead of emission:
 * `pollNext` only hands out records of a batch already in memory, and returns
 * NOTHING_AVAILABLE while the next batch is being read. The reader asks the enumerator for a
 * split whenever it has none.
 *
 * A block that cannot be read (not in the format, corrupt) fails the reader with an error naming
 * the file, the block and the position; with dead letters enabled, a {@link FileDeadLetter} is
 * emitted in its place (timestamped with the processing time), the rest of the block is skipped
 * and counted, and reading goes on. `T` then includes `FileDeadLetter`.
 */
export class FileSourceReader<T> implements SourceReader<T, FileSourceSplit> {
  private readonly queue: FileSourceSplit[] = [];
  private current: CurrentSplit<T> | undefined;
  private inFlight: Promise<void> | undefined;
  private noMoreSplits = false;
  private requested = false;
  private error: Error | undefined;
  private readonly failedBlocks: FileDeadLetter[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  /** Records skipped because their block was unreadable (dead-letter mode). */
  skippedRecords = 0;
  /** Dead letters emitted. */
  deadLetterCount = 0;

  constructor(
    private readonly context: SourceReaderContext,
    private readonly format: BulkFormat<T>,
    private readonly deadLetters: boolean,
  ) {}

  start(): void {
    this.request();
  }

  addSplits(splits: FileSourceSplit[]): void {
    this.requested = false;
    this.queue.push(...splits);
    this.signal();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.signal();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.error) throw this.error;
    if (this.failedBlocks.length > 0) this.emitDeadLetters(output);
    const cur = this.current;
    if (cur) {
      if (cur.done) {
        this.current = undefined;
        output.releaseOutputForSplit(cur.split.splitId);
        this.closeReader(cur);
        return this.pollNext(output);
      }
      const batch = cur.batch;
      if (batch) {
        const out = cur.output;
        const end = Math.min(batch.length, cur.index + MAX_PER_POLL);
        let i = cur.index;
        for (; i < end; i++) out.collect(batch[i]);
        cur.position += i - cur.index;
        cur.index = i;
        if (i < batch.length) return 'MORE_AVAILABLE';
        cur.batch = undefined;
        this.fetch(cur);
        return 'NOTHING_AVAILABLE';
      }
      if (!this.inFlight) this.fetch(cur);
      return 'NOTHING_AVAILABLE';
    }
    const next = this.queue.shift();
    if (next) {
      this.open(next, output);
      return 'NOTHING_AVAILABLE';
    }
    if (this.noMoreSplits) return 'END_OF_INPUT';
    this.request();
    return 'NOTHING_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    if (this.error || this.closed || this.failedBlocks.length > 0) return Promise.resolve();
    const cur = this.current;
    if (cur && (cur.done || cur.batch)) return Promise.resolve();
    if (!cur && (this.queue.length > 0 || this.noMoreSplits)) return Promise.resolve();
    return new Promise((resolve) => {
      const prev = this.wake;
      this.wake = () => {
        prev?.();
        resolve();
      };
    });
  }

  snapshotState(): FileSourceSplit[] {
    const splits: FileSourceSplit[] = [];
    const cur = this.current;
    if (cur && !cur.done) splits.push(fileSourceSplit(cur.split.path, cur.split.block, cur.split.records, cur.position));
    splits.push(...this.queue);
    return splits;
  }

  async close(): Promise<void> {
    this.closed = true;
    const cur = this.current;
    this.current = undefined;
    await this.inFlight?.catch(() => undefined);
    if (cur?.reader) await cur.reader.close().catch(() => undefined);
    this.signal();
  }

  private request(): void {
    if (this.requested || this.noMoreSplits) return;
    this.requested = true;
    this.context.sendSplitRequest();
  }

  private open(split: FileSourceSplit, output: ReaderOutput<T>): void {
    const cur: CurrentSplit<T> = {
      split,
      output: output.createOutputForSplit(split.splitId),
      reader: undefined,
      position: split.position,
      batch: undefined,
      index: 0,
      done: false,
    };
    this.current = cur;
    this.run(cur, async () => {
      cur.reader = await this.format.createReader(split.path, split.block, split.position);
      await this.readInto(cur);
    });
  }

  private fetch(cur: CurrentSplit<T>): void {
    this.run(cur, () => this.readInto(cur));
  }

  private async readInto(cur: CurrentSplit<T>): Promise<void> {
    const batch = await cur.reader!.readBatch();
    if (batch === undefined || batch.length === 0) cur.done = true;
    else {
      cur.batch = batch;
      cur.index = 0;
    }
  }

  private run(cur: CurrentSplit<T>, step: () => Promise<void>): void {
    this.inFlight = step()
      .catch((cause: unknown) => this.onReadError(cur, cause))
      .finally(() => {
        this.inFlight = undefined;
        this.signal();
      });
  }

  private onReadError(cur: CurrentSplit<T>, cause: unknown): void {
    const { path, block, records } = cur.split;
    const reason = cause instanceof Error ? cause.message : String(cause);
    if (!this.deadLetters) {
      const error = new Error(`FileSource: could not read file '${path}', block (row group) ${block}, at record ${cur.position}: ${reason}`, { cause });
      this.error = error;
      return;
    }
    const skipped = records >= 0 ? records - cur.position : -1;
    if (skipped > 0) this.skippedRecords += skipped;
    this.failedBlocks.push({ kind: 'file-dead-letter', path, block, position: cur.position, skippedRecords: skipped, error: reason });
    log.warn('skipping an unreadable file block (dead-letter output configured)', { path, block, position: cur.position, error: reason });
    cur.batch = undefined;
    cur.done = true;
  }

  private emitDeadLetters(output: ReaderOutput<T>): void {
    const now = Date.now();
    for (const d of this.failedBlocks) output.collect(d as unknown as T, now);
    this.deadLetterCount += this.failedBlocks.length;
    this.failedBlocks.length = 0;
  }

  private closeReader(cur: CurrentSplit<T>): void {
    const reader = cur.reader;
    cur.reader = undefined;
    if (reader) reader.close().catch((error: unknown) => log.warn('closing a file block reader failed', { path: cur.split.path, error: String(error) }));
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
