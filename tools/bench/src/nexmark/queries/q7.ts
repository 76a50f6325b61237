import type { NexmarkEvent } from '@riffle/connector-datagen';
import { KeyedProcessFunction, RichFlatMapFunction, Time, type AggregateFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { TumblingEventTimeWindows, type TimeWindow } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';

/** q7 output: a bid with the highest price of its 10 s window. */
export interface Q7Row {
  readonly auction: number;
  readonly price: number;
  readonly bidder: number;
  readonly dateTime: number;
  readonly extra: string;
}

/** q7's tumbling window (10 s). */
export const Q7_WINDOW_MS = 10_000;

/** The columns of a bid that q7 outputs: auction, price, bidder, dateTime, extra. */
type BidColumns = readonly [auction: number, price: number, bidder: number, dateTime: number, extra: string];

/** The highest-priced bids of a window (all of them on a tie). */
interface TopBids {
  price: number;
  bids: BidColumns[];
}

interface WindowTop {
  readonly windowEnd: number;
  readonly price: number;
  readonly bids: BidColumns[];
}

const topBids: AggregateFunction<BidColumns, TopBids, TopBids> = {
  createAccumulator: () => ({ price: -1, bids: [] }),
  add(b, acc) {
    if (b[1] > acc.price) {
      acc.price = b[1];
      acc.bids = [b];
    } else if (b[1] === acc.price) {
      acc.bids.push(b);
    }
    return acc;
  },
  getResult: (acc) => acc,
  merge(a, b) {
    return a.price > b.price ? a : b.price > a.price ? b : { price: a.price, bids: [...a.bids, ...b.bids] };
  },
};

/**
 * The local phase of the window maximum: passes a bid only if its price is at least the highest
 * price this subtask has seen in the bid's window so far (a window's maximum bids are never
 * below that), so only a handful of bids per window cross the exchange. Not checkpointed: after
 * a restore it starts empty and merely lets more bids through.
 */
class LocalWindowMax extends RichFlatMapFunction<NexmarkEvent, BidColumns> {
  private maxima = new Map<number, number>();
  private latestWindow = Number.NEGATIVE_INFINITY;

  override open(): void {
    this.maxima = new Map();
  }

  flatMap(e: NexmarkEvent, out: Collector<BidColumns>): void {
    if (e.kind !== 'bid') return;
    const window = e.dateTime - (e.dateTime % Q7_WINDOW_MS);
    const max = this.maxima.get(window);
    if (max !== undefined && e.price < max) return;
    this.maxima.set(window, e.price);
    if (window > this.latestWindow) {
      this.latestWindow = window;
      // Forget windows far behind (a bid that late is dropped by the window operator anyway).
      for (const w of this.maxima.keys()) if (w < window - 10 * Q7_WINDOW_MS) this.maxima.delete(w);
    }
    out.collect([e.auction, e.price, e.bidder, e.dateTime, e.extra]);
  }
}

/** Merges the per-auction partial maxima of one window (keyed by window end) and emits the winners. */
class MaxPerWindow extends KeyedProcessFunction<number, WindowTop, Q7Row> {
  private top!: ValueState<TopBids>;

  override open(): void {
    this.top = this.getRuntimeContext().getState(new ValueStateDescriptor<TopBids>('top'));
  }

  processElement(w: WindowTop, ctx: KeyedProcessContext<number>, _out: Collector<Q7Row>): void {
    const top = this.top.value();
    if (top === undefined) {
      this.top.update({ price: w.price, bids: w.bids.slice() });
      ctx.timerService().registerEventTimeTimer(w.windowEnd - 1);
    } else if (w.price > top.price) {
      top.price = w.price;
      top.bids = w.bids.slice();
    } else if (w.price === top.price) {
      for (const b of w.bids) top.bids.push(b);
    }
  }

  override onTimer(_timestamp: number, _ctx: KeyedOnTimerContext<number>, out: Collector<Q7Row>): void {
    const top = this.top.value();
    if (top === undefined) return;
    for (const b of top.bids) out.collect({ auction: b[0], price: b[1], bidder: b[2], dateTime: b[3], extra: b[4] });
    this.top.clear();
  }
}

/**
 * q7, highest bid: the bids with the maximum price of each 10 s tumbling window. The SQL joins
 * `MAX(price)` per window back to the bids; here a local running-maximum filter per source
 * subtask drops the bids that cannot be a window's maximum, a keyed tumbling window (by auction)
 * keeps the top-priced bids of each auction incrementally, and a keyed process function per
 * window end merges those partial maxima (a local/global aggregation, as Flink's planner does).
 *
 * Differs from the SQL in one corner: the SQL's `B.dateTime BETWEEN window_end - 10 s AND
 * window_end` also admits a bid at exactly `window_end` (the next window's first millisecond)
 * priced at the previous window's maximum; the reference check excludes that boundary.
 */
export const q7: NexmarkQuery<Q7Row> = {
  name: 'q7',
  group: 'window',
  description: 'highest bid: tumbling 10 s max price per auction, merged per window',
  build(events) {
    return events
      // Local maximum per window, and projection pushdown: only candidate bids, and only the
      // output columns (not channel and url), cross the exchange.
      .flatMap(new LocalWindowMax())
      .name('local window max')
      .keyBy((b) => b[0])
      .window(TumblingEventTimeWindows.of(Time.milliseconds(Q7_WINDOW_MS)))
      .aggregate(topBids, (_auction: number, window: TimeWindow, tops: Iterable<TopBids>, out: Collector<WindowTop>) => {
        for (const t of tops) out.collect({ windowEnd: window.end, price: t.price, bids: t.bids });
      })
      .name('top bids per auction')
      .keyBy((w) => w.windowEnd)
      .process(new MaxPerWindow())
      .name('q7');
  },
  row: (r) => [r.auction, r.price, r.bidder, r.dateTime, r.extra],
};
