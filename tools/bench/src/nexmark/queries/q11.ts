import { Time, type AggregateFunction, type Collector } from '@riffle/core';
import { EventTimeSessionWindows, type TimeWindow } from '@riffle/datastream';
import type { NexmarkQuery } from './nexmark-query.js';

/** q11 output: one bidder session. */
export interface Q11Row {
  readonly bidder: number;
  readonly bidCount: number;
  readonly starttime: number;
  readonly endtime: number;
}

/** q11's session gap (10 s in nexmark/nexmark). */
export const Q11_GAP_MS = 10_000;

const countBids: AggregateFunction<number, number, number> = {
  createAccumulator: () => 0,
  add: (_b, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

/** q11, user sessions: bids per bidder in event-time session windows with a 10 s gap. */
export const q11: NexmarkQuery<Q11Row> = {
  name: 'q11',
  group: 'window',
  description: 'user sessions: session windows (10 s gap) count per bidder',
  build(events) {
    return events
      // Projection pushdown (as Flink's planner does): only the bidder id crosses the exchange.
      .flatMap<number>((e, out) => {
        if (e.kind === 'bid') out.collect(e.bidder);
      })
      .name('bidders')
      .keyBy((bidder) => bidder)
      .window(EventTimeSessionWindows.withGap(Time.milliseconds(Q11_GAP_MS)))
      .aggregate(countBids, (bidder: number, window: TimeWindow, counts: Iterable<number>, out: Collector<Q11Row>) => {
        for (const bidCount of counts) out.collect({ bidder, bidCount, starttime: window.start, endtime: window.end });
      })
      .name('q11');
  },
  row: (r) => [r.bidder, r.bidCount, r.starttime, r.endtime],
};
