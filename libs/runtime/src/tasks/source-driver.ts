import {
  NO_TIMESTAMP,
  StreamRecord,
  Watermark,
  type InputStatus,
  type Output,
  type ReaderOutput,
  type SourceReader,
  type SourceSplit,
} from '@riffle/core';
import { tagOperatorError } from './operator-error.js';

/**
 * Drives a SourceReader at the head of a source task: `poll` asks the reader for what it has,
 * and the reader's `collect` calls go straight down the chain (one reused StreamRecord).
 */
export class SourceDriver<T> implements ReaderOutput<T> {
  private readonly record = new StreamRecord<T>(undefined as T);

  constructor(
    readonly reader: SourceReader<T, SourceSplit>,
    private readonly output: Output<T>,
    private readonly sourceName: string,
  ) {}

  collect(value: T, timestamp?: number): void {
    const r = this.record;
    r.value = value;
    r.timestamp = timestamp === undefined ? NO_TIMESTAMP : timestamp;
    this.output.collect(r);
  }

  emitWatermark(timestamp: number): void {
    this.output.emitWatermark(new Watermark(timestamp));
  }

  markIdle(): void {
    // Watermark idleness is handled with event time (a later layer); nothing to do without it.
  }

  poll(): InputStatus {
    try {
      return this.reader.pollNext(this);
    } catch (e) {
      throw tagOperatorError(e, this.sourceName);
    }
  }
}
