import { WatermarkStrategy, type WatermarkGenerator } from '@riffle/core';

/**
 * A bounded-out-of-orderness {@link WatermarkStrategy} that emits its watermark after every event
 * (punctuated) instead of every auto-watermark interval (periodic): `max timestamp seen − bound − 1`,
 * the same value Flink's `forBoundedOutOfOrderness` emits, only at a deterministic point.
 *
 * Why the examples use it: with a periodic generator, where a watermark falls between the records
 * depends on processing time, so which records are late — and which windows fire before which
 * records — varies from run to run. A punctuated generator, in an assigner that runs with
 * parallelism 1, puts every watermark at a fixed position in the one stream; each keyed subtask
 * downstream reads that stream through a single channel, so it sees records and watermarks in the
 * same order at every parallelism, and the results (late data included) are reproducible. A
 * production job reading a real source would use `forBoundedOutOfOrderness` per source split.
 */
export function punctuatedBoundedOutOfOrderness<T>(boundMs: number, timestampOf: (value: T) => number): WatermarkStrategy<T> {
  if (!(boundMs >= 0)) throw new Error(`the out-of-orderness bound must be >= 0 ms, got ${boundMs}`);
  return WatermarkStrategy.forGenerator<T>((): WatermarkGenerator<T> => {
    let max = Number.NEGATIVE_INFINITY;
    return {
      onEvent: (_event, timestamp, output) => {
        if (timestamp > max) {
          max = timestamp;
          output.emitWatermark(max - boundMs - 1);
        }
      },
      onPeriodicEmit: () => {},
    };
  }).withTimestampAssigner((value) => timestampOf(value));
}
