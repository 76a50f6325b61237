import { StreamRecord, type Collector, type Output } from '@riffle/core';

/**
 * The {@link Collector} handed to user functions: emits each value as a record carrying the
 * timestamp of the input record being processed. One instance per operator; the emitted
 * `StreamRecord` object is reused, as the Output contract allows.
 */
export class TimestampedCollector<T> implements Collector<T> {
  private readonly reuse = new StreamRecord<T>(undefined as T);

  constructor(private readonly output: Output<T>) {}

  /** Emitted records take `record`'s timestamp from now on. */
  setTimestampFrom(record: StreamRecord<unknown>): void {
    this.reuse.timestamp = record.timestamp;
  }

  /** Emitted records carry `timestamp` (NO_TIMESTAMP for none) from now on. */
  setTimestamp(timestamp: number): void {
    this.reuse.timestamp = timestamp;
  }

  collect(value: T): void {
    this.reuse.value = value;
    this.output.collect(this.reuse);
  }
}
