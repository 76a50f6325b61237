import { Time, type AggregateFunction, type Collector } from '@riffle/core';
import { TumblingProcessingTimeWindows, type TimeWindow } from '@riffle/datastream';
import { ProcessingTimeOrEndOfInputTrigger } from './end-of-input-trigger.js';
import type { NexmarkQuery } from './nexmark-query.js';

/** q12 output: bids of one bidder in one processing-time window. */
export interface Q12Row {
  readonly bidder: number;
  readonly bidCount: number;
  readonly starttime: number;
  readonly endtime: number;
}

/** q12's processing-time window (10 s). */
export const Q12_WINDOW_MS = 10_000;

const countBids: AggregateFunction<number, number, number> = {
  createAccumulator: () => 0,
  add: (_b, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

/**
 * q12, processing-time windows: bids per bidder in 10 s tumbling processing-time windows. Its
 * output depends on the wall clock, so the correctness check compares the per-bidder sum of the
 * window counts with `COUNT(*) GROUP BY bidder`. Windows still open when a bounded input ends
 * are fired then (Flink drops them), see {@link ProcessingTimeOrEndOfInputTrigger}.
 */
export const q12: NexmarkQuery<Q12Row> = {
  name: 'q12',
  group: 'join',
  processingTime: true,
  description: 'processing-time windows: tumbling 10 s count per bidder',
  build(events) {
    return events
      // Projection pushdown (as Flink's planner does): only the bidder id crosses the exchange.
      .flatMap<number>((e, out) => {
        if (e.kind === 'bid') out.collect(e.bidder);
      })
      .name('bidders')
      .keyBy((bidder) => bidder)
      .window(TumblingProcessingTimeWindows.of(Time.milliseconds(Q12_WINDOW_MS)))
      .trigger(new ProcessingTimeOrEndOfInputTrigger())
      .aggregate(countBids, (bidder: number, window: TimeWindow, counts: Iterable<number>, out: Collector<Q12Row>) => {
        for (const bidCount of counts) out.collect({ bidder, bidCount, starttime: window.start, endtime: window.end });
      })
      .name('q12');
  },
  row: (r) => [r.bidder, r.bidCount],
};
