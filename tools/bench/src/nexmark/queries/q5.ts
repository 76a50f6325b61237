import { KeyedProcessFunction, Time, type AggregateFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { SlidingEventTimeWindows, type TimeWindow } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';

/** q5 output: a hottest auction of one window (ties all appear). */
export interface Q5Row {
  readonly auction: number;
  readonly num: number;
  /** `starttime` of the HOP window (the SQL's inner column, kept so rows are comparable). */
  readonly windowStart: number;
}

/** HOP size and slide of q5 (nexmark/nexmark: 10 s every 2 s). */
export const Q5_SIZE_MS = 10_000;
export const Q5_SLIDE_MS = 2_000;

interface AuctionCount {
  readonly auction: number;
  readonly num: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

const countBids: AggregateFunction<number, number, number> = {
  createAccumulator: () => 0,
  add: (_b, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

interface HotSet {
  max: number;
  auctions: number[];
}

/**
 * Per window (keyed by window end): the auctions with the largest count. The counts of a window
 * all carry the window's max timestamp and arrive before the watermark passes it, so a timer at
 * that timestamp sees them all.
 */
class HottestPerWindow extends KeyedProcessFunction<number, AuctionCount, Q5Row> {
  private hot!: ValueState<HotSet>;

  override open(): void {
    this.hot = this.getRuntimeContext().getState(new ValueStateDescriptor<HotSet>('hot'));
  }

  processElement(c: AuctionCount, ctx: KeyedProcessContext<number>, _out: Collector<Q5Row>): void {
    const hot = this.hot.value();
    if (hot === undefined) {
      this.hot.update({ max: c.num, auctions: [c.auction] });
      ctx.timerService().registerEventTimeTimer(c.windowEnd - 1);
    } else if (c.num > hot.max) {
      hot.max = c.num;
      hot.auctions = [c.auction];
    } else if (c.num === hot.max) {
      hot.auctions.push(c.auction);
    }
  }

  override onTimer(timestamp: number, _ctx: KeyedOnTimerContext<number>, out: Collector<Q5Row>): void {
    const hot = this.hot.value();
    if (hot === undefined) return;
    const windowStart = timestamp + 1 - Q5_SIZE_MS;
    for (const auction of hot.auctions) out.collect({ auction, num: hot.max, windowStart });
    this.hot.clear();
  }
}

/**
 * q5, hot items: bid counts per auction in 10 s windows sliding by 2 s (keyed sliding window
 * with an incremental count), then per window the auctions whose count is the window's maximum
 * (the SQL's self-join with `MAX(num)`, here a keyed process function per window end).
 */
export const q5: NexmarkQuery<Q5Row> = {
  name: 'q5',
  group: 'window',
  description: 'hot items: sliding 10 s/2 s count per auction, then max per window',
  build(events) {
    return events
      // Projection pushdown (as Flink's planner does): only the auction id crosses the exchange.
      .flatMap<number>((e, out) => {
        if (e.kind === 'bid') out.collect(e.auction);
      })
      .name('bid auctions')
      .keyBy((auction) => auction)
      .window(SlidingEventTimeWindows.of(Time.milliseconds(Q5_SIZE_MS), Time.milliseconds(Q5_SLIDE_MS)))
      .aggregate(countBids, (auction: number, window: TimeWindow, counts: Iterable<number>, out: Collector<AuctionCount>) => {
        for (const num of counts) out.collect({ auction, num, windowStart: window.start, windowEnd: window.end });
      })
      .name('bid count per auction')
      .keyBy((c) => c.windowEnd)
      .process(new HottestPerWindow())
      .name('q5');
  },
  row: (r) => [r.auction, r.num, r.windowStart],
};
