import type { Bid, NexmarkEvent } from '@riffle/connector-datagen';
import { KeyedProcessFunction, RichFlatMapFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';
import { miniBatchEnd } from './time.js';

/** q19 output: the current top 10 bids of one auction by price (an upsert per auction). */
export interface Q19Row {
  readonly auction: number;
  /** Highest first; `rank_number` is the index + 1. */
  readonly top: readonly Bid[];
}

/** q19's N. */
export const Q19_TOP_N = 10;

/**
 * Inserts `b` into `top` (sorted by price, highest first, at most `n` long); true if it entered.
 * Among equal prices the earlier bid stays ahead (ROW_NUMBER's order among ties is unspecified).
 */
export function insertTopN(top: Bid[], b: Bid, n: number): boolean {
  if (top.length === n && b.price <= top[n - 1]!.price) return false;
  let i = top.length;
  while (i > 0 && top[i - 1]!.price < b.price) i--;
  top.splice(i, 0, b);
  if (top.length > n) top.pop();
  return true;
}

/**
 * The local phase of a local/global top-N: passes a bid only if it enters this subtask's own top
 * 10 prices of its auction. The global top 10 is contained in the union of the local ones, so
 * the keyed phase sees every bid that can matter, and only those cross the exchange. Its map is
 * not checkpointed: after a restore it starts empty and merely lets more bids through.
 */
class LocalTopBids extends RichFlatMapFunction<NexmarkEvent, Bid> {
  private tops = new Map<number, number[]>();

  override open(): void {
    this.tops = new Map();
  }

  flatMap(e: NexmarkEvent, out: Collector<Bid>): void {
    if (e.kind !== 'bid') return;
    const top = this.tops.get(e.auction);
    if (top === undefined) this.tops.set(e.auction, [e.price]);
    else {
      if (top.length === Q19_TOP_N && e.price <= top[Q19_TOP_N - 1]!) return;
      let i = top.length;
      while (i > 0 && top[i - 1]! < e.price) i--;
      top.splice(i, 0, e.price);
      if (top.length > Q19_TOP_N) top.pop();
    }
    out.collect(e);
  }
}

/** Keeps the top 10 per auction; emits the list once per 2 s mini-batch of event time in which it changed. */
class TopBidsPerAuction extends KeyedProcessFunction<number, Bid, Q19Row> {
  private top!: ValueState<Bid[]>;

  override open(): void {
    this.top = this.getRuntimeContext().getState(new ValueStateDescriptor<Bid[]>('top'));
  }

  processElement(b: Bid, ctx: KeyedProcessContext<number>, _out: Collector<Q19Row>): void {
    const top = this.top.value();
    if (top === undefined) this.top.update([b]);
    else if (!insertTopN(top, b, Q19_TOP_N)) return;
    ctx.timerService().registerEventTimeTimer(miniBatchEnd(b.dateTime));
  }

  override onTimer(_t: number, ctx: KeyedOnTimerContext<number>, out: Collector<Q19Row>): void {
    const top = this.top.value();
    if (top !== undefined) out.collect({ auction: ctx.getCurrentKey(), top: top.slice() });
  }
}

/**
 * q19, top 10 bids per auction by price (`ROW_NUMBER() OVER (PARTITION BY auction ORDER BY
 * price DESC) <= 10`): a local top-10 filter per source subtask, then a keyed process function
 * keeping a sorted list per auction. Flink's rank
 * operator emits retractions and inserts per change; this emits the changed top list per
 * mini-batch, an upsert whose last value per auction is the SQL result. Rows compare as
 * (auction, rank, price) because the order among equal prices is unspecified.
 */
export const q19: NexmarkQuery<Q19Row> = {
  name: 'q19',
  group: 'state',
  description: 'top 10 bids per auction by price: keyed sorted list',
  build(events) {
    return events
      .flatMap(new LocalTopBids())
      .name('local top 10')
      .keyBy((b) => b.auction)
      .process(new TopBidsPerAuction())
      .name('q19');
  },
  row: (r) => [r.auction, r.top.map((b) => b.price).join(',')],
  upsertKey: (r) => String(r.auction),
};
